import os from 'node:os';
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { IoHost } from '../context.js';
import { Spec3Error } from '../errors.js';
import type { AwsClients } from './clients.js';
import { AwsCallError, awsErrorName, describeAwsError } from './errors.js';
import { ciRunId, describeHolder, holderState, lockAge, parseHolder, processAlive, type HolderState, type LockHolder } from './lock-holder.js';

export type { HolderState, LockHolder } from './lock-holder.js';

export interface StageLockOptions {
  readonly project: string;
  readonly stage: string;
  /** The verb that takes the lock: `deploy`, `destroy`. */
  readonly command: string;
  /** The caller's ARN from STS (the account check already has it). */
  readonly arn: string;
  /** The command that clears this stage's lock for the run's target, e.g. `spec3 unlock dev --local` (see spec3Command). */
  readonly unlockCommand: string;
  /** The run's environment: a CI run id is recorded when it has one. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A lock older than this is reported as stale; default 2 h. */
  readonly staleAfterMs?: number;
  readonly now?: () => Date;
  readonly host?: string;
  readonly pid?: number;
  /** Whether a process of this machine runs (default: signal 0). */
  readonly isAlive?: (pid: number) => boolean;
}

export interface StageLock {
  readonly parameter: string;
  readonly holder: LockHolder;
  /** Deletes the parameter if it still holds this lock (a lock cleared by hand and taken by another run is left alone). */
  release(): Promise<void>;
}

/** A lock as `status` and `unlock` read it. */
export interface HeldLock {
  readonly parameter: string;
  /** The parameter's value as read: `unlock` deletes only while it is still this. */
  readonly raw: string;
  readonly holder: Partial<LockHolder>;
  /** Whether its holder still runs (`gone`: abandoned by a run that was killed on this machine). */
  readonly state: HolderState;
}

/** Longer than any deploy of a stage should take; an older lock is most likely left by a killed run. */
export const STALE_LOCK_MS = 2 * 60 * 60_000;

export const lockParameter = (project: string, stage: string): string => `/spec3/${project}/${stage}/lock`;

/**
 * Takes the stage's lock: an SSM parameter created with PutParameter without Overwrite, which
 * SSM creates for one caller only (the others get ParameterAlreadyExists). So two deploys, or a
 * deploy and a destroy, of one stage never interleave their changes. A held lock is refused
 * naming its holder; one whose holder is gone from this machine is refused as abandoned, with the
 * command that clears it: a lock is never taken over silently.
 */
export async function acquireStageLock(aws: AwsClients, options: StageLockOptions): Promise<StageLock> {
  const ssm = aws.ssm();
  const now = options.now ?? (() => new Date());
  const parameter = lockParameter(options.project, options.stage);
  const host = options.host ?? os.hostname();
  const ci = ciRunId(options.env ?? {});
  const holder: LockHolder = {
    holder: `${options.arn.split(/[:/]/).pop() || 'unknown'}@${host}`,
    host,
    pid: options.pid ?? process.pid,
    command: `spec3 ${options.command} ${options.stage}`,
    startedAt: now().toISOString(),
    ...(ci ? { ci } : {}),
  };
  const value = JSON.stringify(holder);
  const lock: StageLock = { parameter, holder, release: () => release(aws, parameter, value, options) };

  // A second round covers a lock released between our PutParameter and our GetParameter.
  for (let round = 0; round < 2; round += 1) {
    try {
      await ssm.send(
        new PutParameterCommand({
          Name: parameter,
          Value: value,
          Type: 'String',
          Overwrite: false,
          Description: `spec3: held while a deploy or destroy of stage ${options.stage} runs`,
        }),
      );
      return lock;
    } catch (error) {
      if (awsErrorName(error) !== 'ParameterAlreadyExists') throw lockFailed(parameter, 'take', error);
    }
    const current = await read(aws, parameter);
    // The SDK retried a PutParameter whose answer was lost: the parameter it finds is our own.
    if (current === value) return lock;
    if (current !== undefined) throw heldError(current, options, parameter, now(), host);
  }
  throw heldError('', options, parameter, now(), host);
}

/**
 * Runs `work` under the stage's lock and releases the lock afterwards, whether `work` succeeds,
 * fails or is interrupted. Taking and releasing are reported as STAGE_LOCK_TAKEN and
 * STAGE_LOCK_RELEASED (a run stopped at once says from them whether it left the lock). A release
 * that fails does not hide the outcome of `work`: it is reported as STAGE_LOCK_NOT_RELEASED,
 * saying the lock is still held and how to clear it.
 */
export async function withStageLock<T>(aws: AwsClients, options: StageLockOptions, io: IoHost, work: (lock: StageLock) => Promise<T>): Promise<T> {
  const lock = await acquireStageLock(aws, options);
  const data = { stage: options.stage, parameter: lock.parameter, unlock: `${options.unlockCommand} --force` };
  io.emit({ code: 'STAGE_LOCK_TAKEN', level: 'debug', message: `Stage ${options.stage} locked (${lock.parameter})`, data });
  try {
    return await work(lock);
  } finally {
    await lock.release().then(
      () => io.emit({ code: 'STAGE_LOCK_RELEASED', level: 'debug', message: `Stage ${options.stage} unlocked`, data }),
      (error: unknown) => {
        const failed = error instanceof Spec3Error ? error : notReleased(lock.parameter, error, options);
        io.emit({ code: 'STAGE_LOCK_NOT_RELEASED', level: 'warn', message: `${failed.message}\n  ${failed.hint ?? ''}`.trimEnd(), data });
      },
    );
  }
}

/** The stage's lock as it is now, or undefined when nobody holds it. */
export async function readStageLock(
  aws: AwsClients,
  parameter: string,
  here: { host?: string; isAlive?: (pid: number) => boolean } = {},
): Promise<HeldLock | undefined> {
  const raw = await read(aws, parameter);
  if (raw === undefined) return undefined;
  const holder = parseHolder(raw);
  return { parameter, raw, holder, state: holderState(holder, here.host ?? os.hostname(), here.isAlive ?? processAlive) };
}

/** Deletes a lock read by `readStageLock`, unless it changed since (released, or taken by another run): then false. */
export async function removeStageLock(aws: AwsClients, lock: HeldLock): Promise<boolean> {
  if ((await read(aws, lock.parameter)) !== lock.raw) return false;
  try {
    await aws.ssm().send(new DeleteParameterCommand({ Name: lock.parameter }));
  } catch (error) {
    if (awsErrorName(error) === 'ParameterNotFound') return false;
    throw lockFailed(lock.parameter, 'remove', error);
  }
  return true;
}

async function read(aws: AwsClients, parameter: string): Promise<string | undefined> {
  try {
    return (await aws.ssm().send(new GetParameterCommand({ Name: parameter }))).Parameter?.Value;
  } catch (error) {
    if (awsErrorName(error) === 'ParameterNotFound') return undefined;
    throw lockFailed(parameter, 'read', error);
  }
}

async function release(aws: AwsClients, parameter: string, value: string, options: StageLockOptions): Promise<void> {
  try {
    const current = (await aws.ssm().send(new GetParameterCommand({ Name: parameter }))).Parameter?.Value;
    if (current !== value) return;
    await aws.ssm().send(new DeleteParameterCommand({ Name: parameter }));
  } catch (error) {
    if (awsErrorName(error) !== 'ParameterNotFound') throw notReleased(parameter, error, options);
  }
}

/** A release that failed: the lock stays, and only `spec3 unlock` (once this run has ended) clears it. */
function notReleased(parameter: string, error: unknown, options: StageLockOptions): Spec3Error {
  return new Spec3Error(
    'STAGE_LOCK_NOT_RELEASED',
    `Stage ${options.stage} is still locked: releasing its lock ${parameter} failed (${describeAwsError(error)}).`,
    `Once this run has ended, clear the lock with \`${options.unlockCommand} --force\`; until then every deploy or destroy of stage ${options.stage} is refused.`,
    { cause: error },
  );
}

function heldError(raw: string, options: StageLockOptions, parameter: string, now: Date, host: string): Spec3Error {
  const held = parseHolder(raw);
  const who = describeHolder(held, now);
  const state = holderState(held, host, options.isAlive ?? processAlive);
  if (state === 'gone') {
    return new Spec3Error(
      'STAGE_LOCK_ABANDONED',
      `Stage ${options.stage} is locked by ${who}, but process ${held.pid} is no longer running on this machine: the lock was abandoned by a run that was killed (${parameter}). Nothing was changed.`,
      `Clear it with \`${options.unlockCommand} --force\`, then run the command again.`,
    );
  }
  if (state === 'alive') {
    return new Spec3Error(
      'STAGE_LOCKED',
      `Stage ${options.stage} is locked by ${who}, which is still running on this machine. Nothing was changed.`,
      `Wait for that run to finish, then run the command again; to stop it, press Ctrl-C in its terminal or run \`kill ${held.pid}\`: it releases the lock as it stops.`,
    );
  }
  const clear = `If that run is no longer going (killed, machine gone), clear the lock with \`${options.unlockCommand}\` in a terminal (it asks for the stage name), or \`${options.unlockCommand} --force\` without one.`;
  const age = lockAge(held, now);
  if (age === undefined || age > (options.staleAfterMs ?? STALE_LOCK_MS)) {
    return new Spec3Error(
      'STAGE_LOCK_STALE',
      `Stage ${options.stage} is locked by ${who}, longer than any run should take: the lock looks stale (${parameter}). Nothing was changed.`,
      `A run that was killed leaves its lock behind. ${clear} Then run the command again.`,
    );
  }
  return new Spec3Error(
    'STAGE_LOCKED',
    `Stage ${options.stage} is locked by ${who}. Nothing was changed.`,
    `Wait for that run to finish, then run the command again. ${clear}`,
  );
}

function lockFailed(parameter: string, action: 'take' | 'read' | 'remove', error: unknown): Spec3Error {
  // The error boundary already named what went wrong (denied, expired credentials, unreachable…)
  // with its own hint and the SSM operation: renaming it a lock failure would hide that cause.
  if (error instanceof AwsCallError && error.kind !== 'failed') return error;
  const permission = { take: 'ssm:PutParameter', read: 'ssm:GetParameter', remove: 'ssm:DeleteParameter' }[action];
  return new Spec3Error(
    'STAGE_LOCK_FAILED',
    `Could not ${action} the stage lock ${parameter}: ${describeAwsError(error)}`,
    awsErrorName(error) === 'AccessDeniedException'
      ? `The credentials need ${permission} on ${parameter}.`
      : 'Run the command again once the cause above is gone; nothing was changed by this failure.',
    { cause: error },
  );
}
