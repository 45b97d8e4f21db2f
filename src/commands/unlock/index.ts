import os from 'node:os';
import type { AwsFlags } from '../../aws/access.js';
import { connectStage } from '../../aws/connect.js';
import { describeHolder } from '../../aws/lock-holder.js';
import { lockParameter, readStageLock, removeStageLock, type HeldLock, type LockHolder } from '../../aws/lock.js';
import { loadConfig } from '../../config/load.js';
import { resolveStage } from '../../config/resolve.js';
import type { Context } from '../../context.js';
import { AbortError, Spec3Error } from '../../errors.js';
import { spec3Command, type RunTarget } from '../rerun.js';

export interface UnlockOptions {
  readonly stage: string;
  readonly config?: string;
  /** Do not ask for the stage name (needed without a terminal). A holder alive on this machine is refused all the same. */
  readonly force?: boolean;
  readonly aws?: AwsFlags;
  /** For tests: this machine's name and how to tell whether a pid runs. */
  readonly host?: string;
  readonly isAlive?: (pid: number) => boolean;
}

export interface UnlockResult {
  readonly stage: string;
  readonly parameter: string;
  /** True when a lock was removed; false when there was none (nothing to do). */
  readonly removed: boolean;
  /** What the removed lock held. */
  readonly holder?: Partial<LockHolder>;
  /** The removed lock's holder was on this machine and no longer running. */
  readonly abandoned?: boolean;
}

/**
 * `spec3 unlock <stage>`: removes the stage's lock left by a run that is gone. Refused while the
 * holder runs on this machine (that run releases the lock itself as it ends); a holder on another
 * machine cannot be checked, so the user confirms by typing the stage name, or passes --force.
 */
export async function run(options: UnlockOptions, ctx: Context): Promise<UnlockResult> {
  const loaded = await loadConfig({ cwd: ctx.cwd, config: options.config, io: ctx.io });
  const stage = resolveStage(loaded.config, options.stage, loaded.name);
  const { aws } = await connectStage(stage, options.aws ?? {}, ctx);
  const parameter = lockParameter(stage.project, stage.name);
  const here = { host: options.host ?? os.hostname(), ...(options.isAlive ? { isAlive: options.isAlive } : {}) };
  const lock = await readStageLock(aws, parameter, here);
  const base = { stage: stage.name, parameter };
  if (!lock) return { ...base, removed: false };
  const who = describeHolder(lock.holder, new Date());
  if (lock.state === 'alive') {
    throw new Spec3Error(
      'STAGE_LOCK_LIVE',
      `Stage ${stage.name} is locked by ${who}, which is still running on this machine. Nothing was removed.`,
      `Wait for it to finish, or stop it with Ctrl-C in its terminal or \`kill ${lock.holder.pid}\`: it releases the lock as it stops.`,
    );
  }
  if (!options.force) await confirm(lock, who, stage.name, { env: ctx.env, ...(options.aws ? { aws: options.aws } : {}), ...(options.config ? { config: options.config } : {}) }, ctx);
  if (!(await removeStageLock(aws, lock))) {
    throw new Spec3Error(
      'STAGE_LOCK_CHANGED',
      `The lock of stage ${stage.name} changed while it was being removed (released, or taken by another run). Nothing was removed.`,
      `Run \`${spec3Command({ env: ctx.env, ...(options.aws ? { aws: options.aws } : {}), ...(options.config ? { config: options.config } : {}) }, 'status', stage.name)}\` to see who holds it now.`,
    );
  }
  return { ...base, removed: true, holder: lock.holder, abandoned: lock.state === 'gone' };
}

async function confirm(lock: HeldLock, who: string, stage: string, rerun: RunTarget, ctx: Pick<Context, 'io'>): Promise<void> {
  const gone = lock.state === 'gone' ? ` Process ${lock.holder.pid} is no longer running on this machine.` : ' Its holder is not on this machine, so spec3 cannot tell whether it still runs.';
  ctx.io.emit({ code: 'UNLOCK_HOLDER', level: 'warn', message: `Stage ${stage} is locked by ${who} (${lock.parameter}).${gone}` });
  let answer: string;
  try {
    answer = await ctx.io.ask({
      code: 'UNLOCK_CONFIRM',
      kind: 'text',
      message: `Type the stage name (${stage}) to remove its lock:`,
      default: '',
      validate: (value) => (value.trim() === stage ? undefined : `Type "${stage}" to remove the lock, or press Ctrl-C to cancel.`),
    });
  } catch (error) {
    if (error instanceof Spec3Error && error.code === 'NEEDS_ANSWER') {
      throw new Spec3Error(
        'NEEDS_ANSWER',
        `Removing the lock of stage ${stage} needs its name typed as confirmation, and there is no interactive terminal to ask in. Nothing was removed.`,
        `Run it in a terminal, or \`${spec3Command(rerun, 'unlock', stage, '--force')}\` once you are sure no run of stage ${stage} is going.`,
        { cause: error },
      );
    }
    throw error;
  }
  if (answer.trim() !== stage) throw new AbortError(`Unlock cancelled: "${answer}" is not "${stage}". Nothing was removed.`);
}
