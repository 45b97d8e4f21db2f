import type { AwsFlags } from '../../aws/access.js';
import { describeStack } from '../../aws/cfn/stacks.js';
import { connectStage } from '../../aws/connect.js';
import { lockParameter, readStageLock, type HolderState, type LockHolder } from '../../aws/lock.js';
import { spec3Command } from '../rerun.js';
import { loadConfig } from '../../config/load.js';
import { resolveStage } from '../../config/resolve.js';
import type { Context } from '../../context.js';
import { stackKindsOf } from '../../stack/kinds.js';
import { stageStacks } from '../../stack/naming.js';
import { PHASES, type Phase } from '../../stack/phases.js';

export interface StatusOptions {
  readonly stage: string;
  readonly config?: string;
  readonly aws?: AwsFlags;
}

export interface StackStatus {
  readonly name: string;
  /** CloudFormation status, or NOT_DEPLOYED. */
  readonly status: string;
  readonly reason?: string;
  readonly lastUpdated?: string;
  readonly terminationProtection?: boolean;
  /** IN_SYNC, DRIFTED, NOT_CHECKED... as of the last drift detection, when one ran. */
  readonly drift?: string;
  readonly outputs: Readonly<Record<string, string>>;
  /** Deployed, but the config no longer has it (a removed feature): `deploy --prune` deletes it. */
  readonly removedFromConfig?: true;
}

/** The stage's lock, when a deploy or destroy holds it (or held it and was killed). */
export interface StageLockStatus {
  readonly parameter: string;
  readonly holder: Partial<LockHolder>;
  /** `gone`: the holder was on this machine and no longer runs: the lock is abandoned. */
  readonly state: HolderState;
  /** The command that clears it, for this run's target. */
  readonly unlock: string;
}

export interface StatusResult {
  readonly project: string;
  readonly stage: string;
  readonly account: string;
  readonly region: string;
  readonly phases: readonly { readonly phase: Phase; readonly stacks: readonly StackStatus[] }[];
  readonly deployed: number;
  readonly total: number;
  /** Present while the stage is locked. */
  readonly lock?: StageLockStatus;
  /** Why the lock could not be read (e.g. no ssm:GetParameter); the stacks are shown all the same. */
  readonly lockUnknown?: string;
}

/** `spec3 status <stage>`: every stack of the stage by phase, read from CloudFormation (no synth). */
export async function run(options: StatusOptions, ctx: Context): Promise<StatusResult> {
  const loaded = await loadConfig({ cwd: ctx.cwd, config: options.config, io: ctx.io });
  const stage = resolveStage(loaded.config, options.stage, loaded.name);
  const { aws } = await connectStage(stage, options.aws ?? {}, ctx);
  const parameter = lockParameter(stage.project, stage.name);
  const rerun = { env: ctx.env, ...(options.aws ? { aws: options.aws } : {}), ...(options.config ? { config: options.config } : {}) };
  const lock = readStageLock(aws, parameter).then(
    (held): Pick<StatusResult, 'lock'> =>
      held
        ? { lock: { parameter, holder: held.holder, state: held.state, unlock: spec3Command(rerun, 'unlock', stage.name, ...(held.state === 'gone' ? ['--force'] : [])) } }
        : {},
    (error: unknown): Pick<StatusResult, 'lockUnknown'> => ({ lockUnknown: (error as Error).message }),
  );
  const planned = new Set(stackKindsOf({ stage, functions: loaded.config.functions, features: loaded.config.features }));
  const found = await Promise.all(
    stageStacks({ project: stage.project, stage: stage.name }).map(async ({ kind, name, phase }) => {
      const s = await describeStack(aws, name);
      // A stack the config no longer has is still listed while it is deployed (left over from a removed feature).
      if (!s && !planned.has(kind)) return undefined;
      const report: StackStatus = s
        ? {
            name,
            status: s.status,
            ...(s.reason ? { reason: s.reason } : {}),
            ...(s.lastUpdated ? { lastUpdated: s.lastUpdated.toISOString() } : {}),
            terminationProtection: s.terminationProtection,
            ...(s.driftStatus && s.driftStatus !== 'NOT_CHECKED' ? { drift: s.driftStatus } : {}),
            outputs: s.outputs,
            ...(planned.has(kind) ? {} : { removedFromConfig: true as const }),
          }
        : { name, status: 'NOT_DEPLOYED', outputs: {} };
      return { phase, report };
    }),
  );
  const stacks = found.filter((s): s is NonNullable<typeof s> => s !== undefined);
  const phases = PHASES.map((phase) => ({ phase, stacks: stacks.filter((s) => s.phase === phase).map((s) => s.report) }));
  const deployed = stacks.filter((s) => s.report.status !== 'NOT_DEPLOYED').length;
  return { project: stage.project, stage: stage.name, account: stage.account, region: stage.region, phases, deployed, total: stacks.length, ...(await lock) };
}
