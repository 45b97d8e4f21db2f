import os from 'node:os';
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { Spec3Error } from '../errors.js';
import type { AwsClients } from './clients.js';
import { awsErrorName, describeAwsError } from './errors.js';

/** What the lock parameter holds: who runs which command on the stage, since when. */
export interface LockHolder {
  /** `user@host`: the last part of the caller's ARN, and the machine's name. */
  readonly holder: string;
  readonly pid: number;
  /** e.g. `spec3 deploy dev`. */
  readonly command: string;
  /** ISO time the lock was taken. */
  readonly startedAt: string;
}

export interface StageLockOptions {
  readonly project: string;
  readonly stage: string;
  /** The verb that takes the lock: `deploy`, `destroy`. */
  readonly command: string;
  /** The caller's ARN from STS (the account check already has it). */
  readonly arn: string;
  /** A lock older than this is reported as stale; default 2 h. */
  readonly staleAfterMs?: number;
  readonly now?: () => Date;
  readonly host?: string;
  readonly pid?: number;
}

export interface StageLock {
  readonly parameter: string;
  readonly holder: LockHolder;
  /** Deletes the parameter if it still holds this lock (a lock cleared by hand and taken by another run is left alone). */
  release(): Promise<void>;
}

/** Longer than any deploy of a stage should take; an older lock is most likely left by a killed run. */
export const STALE_LOCK_MS = 2 * 60 * 60_000;

export const lockParameter = (project: string, stage: string): string => `/spec3/${project}/${stage}/lock`;

/**
 * Takes the stage's lock: an SSM parameter created with PutParameter without Overwrite, which
 * SSM creates for one caller only (the others get ParameterAlreadyExists). So two deploys, or a
 * deploy and a destroy, of one stage never interleave their changes. A held lock is refused
 * naming its holder; a stale one is refused too, with the command to clear it, because a lock
 * that merely looks old may belong to a run that is still going.
 */
export async function acquireStageLock(aws: AwsClients, options: StageLockOptions): Promise<StageLock> {
  const ssm = aws.ssm();
  const now = options.now ?? (() => new Date());
  const parameter = lockParameter(options.project, options.stage);
  const holder: LockHolder = {
    holder: `${options.arn.split(/[:/]/).pop() || 'unknown'}@${options.host ?? os.hostname()}`,
    pid: options.pid ?? process.pid,
    command: `spec3 ${options.command} ${options.stage}`,
    startedAt: now().toISOString(),
  };
  const value = JSON.stringify(holder);
  const lock: StageLock = { parameter, holder, release: () => release(aws, parameter, value) };

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
    if (current !== undefined) throw heldError(current, options, parameter, now(), aws.options.endpoint);
  }
  throw heldError('', options, parameter, now(), aws.options.endpoint);
}

/**
 * Runs `work` under the stage's lock and releases the lock afterwards, whether `work` succeeds,
 * fails or is interrupted. A release that fails does not hide the outcome of `work`: it is passed
 * to `onReleaseError`, which should tell the user how to clear the lock.
 */
export async function withStageLock<T>(
  aws: AwsClients,
  options: StageLockOptions,
  onReleaseError: (error: Spec3Error) => void,
  work: (lock: StageLock) => Promise<T>,
): Promise<T> {
  const lock = await acquireStageLock(aws, options);
  try {
    return await work(lock);
  } finally {
    await lock.release().catch((error: unknown) =>
      onReleaseError(error instanceof Spec3Error ? error : lockFailed(lock.parameter, 'release', error, aws.options.endpoint)),
    );
  }
}

async function read(aws: AwsClients, parameter: string): Promise<string | undefined> {
  try {
    return (await aws.ssm().send(new GetParameterCommand({ Name: parameter }))).Parameter?.Value;
  } catch (error) {
    if (awsErrorName(error) === 'ParameterNotFound') return undefined;
    throw lockFailed(parameter, 'read', error);
  }
}

async function release(aws: AwsClients, parameter: string, value: string): Promise<void> {
  const current = await read(aws, parameter);
  if (current !== value) return;
  try {
    await aws.ssm().send(new DeleteParameterCommand({ Name: parameter }));
  } catch (error) {
    if (awsErrorName(error) !== 'ParameterNotFound') throw lockFailed(parameter, 'release', error, aws.options.endpoint);
  }
}

/** The command that clears a lock by hand. */
export function clearLockCommand(parameter: string, endpoint?: string): string {
  return `aws ssm delete-parameter --name ${parameter}${endpoint ? ` --endpoint-url ${endpoint}` : ''}`;
}

function heldError(raw: string, options: StageLockOptions, parameter: string, now: Date, endpoint?: string): Spec3Error {
  const clear = clearLockCommand(parameter, endpoint);
  let held: Partial<LockHolder> = {};
  try {
    held = JSON.parse(raw) as Partial<LockHolder>;
  } catch {
    held = {};
  }
  const who = held.holder ? `${held.holder}${held.pid ? ` (pid ${held.pid})` : ''}` : 'an unknown holder';
  const what = held.command ? ` running \`${held.command}\`` : '';
  const since = held.startedAt ? new Date(held.startedAt) : undefined;
  const ageMs = since && !Number.isNaN(since.getTime()) ? now.getTime() - since.getTime() : undefined;
  const when = since && ageMs !== undefined ? ` since ${since.toISOString()} (${formatAge(ageMs)} ago)` : '';
  const staleAfter = options.staleAfterMs ?? STALE_LOCK_MS;
  if (ageMs === undefined || ageMs > staleAfter) {
    return new Spec3Error(
      'STAGE_LOCK_STALE',
      `Stage ${options.stage} is locked by ${who}${what}${when}, longer than any run should take: the lock looks stale (${parameter}). Nothing was changed.`,
      `A run that was killed leaves its lock behind. If no deploy or destroy of stage ${options.stage} is running, clear the lock with \`${clear}\`, then run the command again.`,
    );
  }
  return new Spec3Error(
    'STAGE_LOCKED',
    `Stage ${options.stage} is locked by ${who}${what}${when}. Nothing was changed.`,
    `Wait for that run to finish, then run the command again. If it is no longer running (killed, machine gone), clear the lock with \`${clear}\`.`,
  );
}

function lockFailed(parameter: string, action: 'take' | 'read' | 'release', error: unknown, endpoint?: string): Spec3Error {
  return new Spec3Error(
    'STAGE_LOCK_FAILED',
    `Could not ${action} the stage lock ${parameter}: ${describeAwsError(error)}`,
    action === 'release'
      ? `Clear it with \`${clearLockCommand(parameter, endpoint)}\` once you are sure the run has ended.`
      : 'The credentials need ssm:PutParameter, ssm:GetParameter and ssm:DeleteParameter on it.',
    { cause: error },
  );
}

function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
