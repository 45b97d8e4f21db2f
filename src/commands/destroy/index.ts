import path from 'node:path';
import { withSignal, type AwsFlags } from '../../aws/access.js';
import { emptyBucket } from '../../aws/buckets.js';
import { liftDeletionProtection } from '../../aws/tables.js';
import type { AwsClients } from '../../aws/clients.js';
import { deleteStack, listStackResources } from '../../aws/cfn/delete-stack.js';
import { describeStack, isInProgress, type DeployedStack } from '../../aws/cfn/stacks.js';
import { deployedTemplate } from '../../aws/cfn/template.js';
import { describeAwsError } from '../../aws/errors.js';
import { withStageLock } from '../../aws/lock.js';
import { connectStage, pollIntervals } from '../../aws/connect.js';
import { loadConfig } from '../../config/load.js';
import { resolveStage, type ResolvedStage } from '../../config/resolve.js';
import type { Context } from '../../context.js';
import { AbortError, Spec3Error } from '../../errors.js';
import { PHASES, type Phase } from '../../stack/phases.js';
import { outputsPath, readOutputs, writeOutputs } from '../deploy/outputs.js';
import { schedule } from '../schedule.js';
import { resourceEvents, stackJob } from '../stack-job.js';
import { confirmDestroy } from './confirm.js';
import { preflight, type Blocker, type CheckedBucket, type CheckedTable, type Preflight } from './preflight.js';
import { interruptedError, throwIfInterrupted } from '../interrupted.js';
import { runTargetOf, spec3Command } from '../rerun.js';
import {
  assertNoLaterPhase,
  bucketsToEmpty,
  deletionOrder,
  readsFrom,
  retainedResources,
  tablesToDelete,
  type PlannedStack,
  type RetainedResource,
  type StackTemplate,
} from './plan.js';
import { stageStacks, type StageStack } from '../../stack/naming.js';
import { parsePhase } from '../../stack/phases.js';

export type { BucketToEmpty, RetainedResource } from './plan.js';
export type { Blocker, CheckedBucket, CheckedTable } from './preflight.js';

export interface DestroyOptions {
  readonly stage: string;
  readonly config?: string;
  /** Destroy one phase only; refused while a later phase is deployed. */
  readonly phase?: string;
  /** Skip the typed confirmation; has no effect on a protected stage. */
  readonly force?: boolean;
  /** Allow destroying a protected stage (the typed confirmation is still required). */
  readonly allowProtected?: boolean;
  /** Only these deployed stacks (`deploy --prune`: the stacks the config no longer has). */
  readonly only?: readonly string[];
  readonly concurrency?: number;
  readonly aws?: AwsFlags;
  /** Aborted on Ctrl-C: no new deletion starts, waits stop, the error says what is still running. */
  readonly signal?: AbortSignal;
}

export interface PlanStack {
  readonly name: string;
  readonly status: string;
  readonly terminationProtection: boolean;
  /** Stacks deleted before this one (they read from it). */
  readonly after: readonly string[];
}

/** Everything a destroy will do, emitted as `DESTROY_PLAN` before anything changes. */
export interface DestroyPlan {
  readonly project: string;
  readonly stage: string;
  readonly account: string;
  readonly region: string;
  readonly phase?: Phase;
  readonly protected: boolean;
  /** Why the stage counts as protected. */
  readonly protectedBy: readonly string[];
  /** In deletion order: integrations, app, foundation. */
  readonly phases: readonly { readonly phase: Phase; readonly stacks: readonly PlanStack[] }[];
  readonly retained: readonly RetainedResource[];
  /** Stacks whose deployed template could not be read: what they retain is unknown. */
  readonly retainedUnknown: readonly string[];
  /** Buckets emptied and deleted, with their object-version counts. */
  readonly buckets: readonly CheckedBucket[];
  /** Tables deleted with every item, with DynamoDB's item count. */
  readonly tables: readonly CheckedTable[];
  /** What stops the destroy; those `--allow-protected` lifts are done by it when given. */
  readonly blockers: readonly Blocker[];
  /** Checks that could not be made, said as such. */
  readonly unchecked: readonly string[];
  /** DELETE_FAILED stacks finished by retaining the failed resources that are already gone. */
  readonly finishing: readonly { readonly stack: string; readonly retain: readonly string[] }[];
}

export interface StackDestroyReport {
  readonly name: string;
  readonly phase: Phase;
  /** The stack's status before the destroy. */
  readonly previousStatus: string;
  readonly status: 'planned' | 'deleted' | 'failed' | 'not-started';
  readonly durationMs?: number;
  /** A failed delete finished: these resources were already gone and were retained by DeleteStack. */
  readonly retainedGone?: readonly string[];
}

export interface EmptiedBucket {
  readonly stack: string;
  readonly bucket: string;
  /** Object versions and delete markers deleted. */
  readonly objects: number;
}

export interface DestroyResult {
  readonly project: string;
  readonly stage: string;
  readonly account: string;
  readonly region: string;
  readonly phase?: Phase;
  /** True when the stage had no deployed stack (of the phase): nothing was done. */
  readonly nothingToDestroy: boolean;
  readonly phases: readonly { readonly phase: Phase; readonly stacks: readonly StackDestroyReport[] }[];
  /** Resources of the deleted stacks that CloudFormation left in place. */
  readonly retained: readonly RetainedResource[];
  readonly emptied: readonly EmptiedBucket[];
  readonly outputsFile?: string;
  readonly durationMs: number;
}

/** What the deletion needs from the checks and the plan that came before it. */
interface DeleteContext {
  readonly started: number;
  readonly dir: string;
  readonly stage: ResolvedStage;
  readonly aws: AwsClients;
  readonly local: boolean;
  readonly planned: readonly PlannedStack[];
  readonly checks: Preflight;
  readonly base: { project: string; stage: string; account: string; region: string; phase?: Phase };
  /** The command that runs this destroy again, for the run's target. */
  readonly again: string;
}

const DEFAULT_CONCURRENCY = 4;
const REVERSE_PHASES = [...PHASES].reverse() as Phase[];

/**
 * `spec3 destroy <stage>`: find the stage's deployed stacks by name, show what will be deleted and
 * what retained, refuse a protected stage without `allowProtected`, ask for the stage name, then
 * delete phase by phase in reverse (integrations, app, foundation), emptying deleted buckets first.
 *
 * CloudFormation calls run with the caller's credentials, not the bootstrap deploy role: emptying
 * data buckets needs S3 rights that role does not have, and a destroy is an operator's act.
 */
export async function run(options: DestroyOptions, ctx: Context): Promise<DestroyResult> {
  const started = Date.now();
  const phase = parsePhase(options.phase);
  const loaded = await loadConfig({ cwd: ctx.cwd, config: options.config, io: ctx.io });
  const stage = resolveStage(loaded.config, options.stage, loaded.name);
  const { aws, local, identity } = await connectStage(stage, withSignal(options.aws, options.signal), ctx);
  const rerun = runTargetOf(options, ctx.env);
  const existing = await deployedStacks(aws, stage);
  if (phase) assertNoLaterPhase(phase, existing, stage.name);
  const chosen = existing.filter((s) => (!phase || s.phase === phase) && (!options.only || options.only.includes(s.name)));
  const base = {
    project: stage.project,
    stage: stage.name,
    account: stage.account,
    region: stage.region,
    ...(phase ? { phase } : {}),
  };
  if (chosen.length === 0) {
    ctx.io.emit({
      code: 'DESTROY_NOTHING',
      level: 'debug',
      message: `Nothing to destroy: stage ${stage.name} has no deployed stack${phase ? ` in phase ${phase}` : ''}.`,
    });
    return { ...base, nothingToDestroy: true, phases: [], retained: [], emptied: [], durationMs: Date.now() - started };
  }
  assertNotBusy(chosen, spec3Command(rerun, 'status', stage.name));

  const planned = await inspect(aws, chosen, stage, spec3Command(rerun, 'destroy', stage.name));
  const checks = await preflight(aws, planned, { project: stage.project, stage: stage.name });
  const plan = destroyPlan(base, stage, planned, checks);
  ctx.io.emit({ code: 'DESTROY_PLAN', level: 'info', message: planMessage(plan), data: plan });
  const open = plan.blockers.filter((b) => !(b.liftedByAllowProtected && options.allowProtected));
  if (open.length > 0) throw blocked(plan, open, Boolean(options.allowProtected), spec3Command(rerun, 'destroy', stage.name, ...(plan.protected ? ['--allow-protected'] : [])));
  if (plan.protected && !options.allowProtected) {
    throw new Spec3Error(
      'DESTROY_PROTECTED',
      `Stage ${stage.name} is protected (${plan.protectedBy.join('; ')}). Nothing was changed.`,
      `To destroy it anyway, run \`${spec3Command(rerun, 'destroy', stage.name, '--allow-protected')}\` in a terminal and type the stage name when asked; termination protection is lifted only then.`,
    );
  }
  // Protection that --allow-protected is about to lift makes the stage protected for the question:
  // the stage name is typed, --force does not skip it.
  const lifted = options.allowProtected ? plan.blockers.filter((b) => b.liftedByAllowProtected).map((b) => b.problem) : [];
  const asked = lifted.length > 0 ? { ...plan, protected: true, protectedBy: [...plan.protectedBy, ...lifted] } : plan;
  await confirmDestroy(asked, Boolean(options.force), ctx, rerun);
  throwIfInterrupted(options.signal);
  // One deploy or destroy of a stage at a time. Taken once the user has said yes, so a refusal or
  // a "no" writes nothing; a deploy that started meanwhile makes this refuse before any deletion.
  return withStageLock(
    aws,
    { project: stage.project, stage: stage.name, command: 'destroy', arn: identity.arn, unlockCommand: spec3Command(rerun, 'unlock', stage.name), env: ctx.env },
    ctx.io,
    () => deletePlanned(options, ctx, { started, dir: loaded.dir, stage, aws, local, planned, checks, base, again: spec3Command(rerun, 'destroy', stage.name) }),
  );
}

async function deletePlanned(
  options: DestroyOptions,
  ctx: Context,
  { started, dir, stage, aws, local, planned, checks, base, again }: DeleteContext,
): Promise<DestroyResult> {
  const reports = new Map<string, StackDestroyReport>(
    planned.map((p) => [p.name, { name: p.name, phase: p.phase, previousStatus: p.deployed.status, status: 'planned' }]),
  );
  const emptied: EmptiedBucket[] = [];
  /** Buckets whose emptying has started and not finished: versions deleted so far. */
  const emptying = new Map<string, number>();
  const poll = pollIntervals(local);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const byName = new Map(planned.map((p) => [p.name, p]));
  const deleted = () => planned.filter((p) => reports.get(p.name)!.status === 'deleted');
  const finish = async () => forgetOutputs(dir, stage.name, deleted().map((p) => p.name), ctx.cwd);

  // Stacks deleted after the stop signal: they were under way when it came, and the report names them too.
  const finishedWhileStopping: string[] = [];
  for (const current of REVERSE_PHASES) {
    const jobs = planned.filter((p) => p.phase === current).map((p) => ({ name: p.name, after: p.after }));
    if (jobs.length === 0) continue;
    ctx.io.emit({ code: 'PHASE_START', level: 'info', message: `Phase ${current}`, data: { phase: current, stacks: jobs.map((j) => j.name) } });
    const outcome = await schedule(
      jobs,
      concurrency,
      async (job) => {
        const p = byName.get(job.name)!;
        const notice = (message: string) => ctx.io.emit({ code: 'STACK_NOTICE', level: 'info', message, data: { stack: p.name } });
        await stackJob(
          ctx.io,
          p.name,
          `${p.name}: deleting`,
          async () => {
            if (options.allowProtected) {
              for (const t of checks.tables.filter((t) => t.stack === p.name && t.exists && t.deletionProtection)) {
                notice(`${p.name}: turning off the deletion protection of table ${t.table}`);
                await liftDeletionProtection(aws, t.table);
              }
            }
            for (const b of p.buckets) {
              notice(`${p.name}: emptying bucket ${b.bucket}`);
              emptying.set(b.bucket, 0);
              // A large bucket takes minutes: each page deleted is said, with the running count.
              const onPage = (count: number) => {
                emptying.set(b.bucket, count);
                notice(`${p.name}: bucket ${b.bucket}: ${count} object version(s) and delete marker(s) deleted so far`);
              };
              const objects = await emptyBucket(aws, b.bucket, options.signal, onPage, again);
              emptying.delete(b.bucket);
              emptied.push({ stack: p.name, bucket: b.bucket, objects });
              notice(`${p.name}: bucket ${b.bucket} emptied (${objects} object version(s) and delete marker(s))`);
            }
            const retain = checks.goneFailed.get(p.name);
            if (retain) {
              notice(`${p.name}: finishing the failed delete; ${retain.join(', ')} already gone, so retained by DeleteStack`);
            }
            await deleteStack(aws, p.deployed, {
              ...(retain ? { retainResources: retain } : {}),
              ...poll,
              ...(options.signal ? { signal: options.signal } : {}),
              liftProtection: Boolean(options.allowProtected),
              onNotice: notice,
              onEvent: resourceEvents(ctx.io, p.name),
              again,
            });
          },
          (_, durationMs) => {
            const retain = checks.goneFailed.get(p.name);
            reports.set(p.name, { ...reports.get(p.name)!, status: 'deleted', durationMs, ...(retain ? { retainedGone: retain } : {}) });
            if (options.signal?.aborted) finishedWhileStopping.push(p.name);
            return 'deleted';
          },
          (durationMs) => reports.set(p.name, { ...reports.get(p.name)!, status: 'failed', durationMs }),
        );
      },
      options.signal,
    );
    for (const name of outcome.notStarted) reports.set(name, { ...reports.get(name)!, status: 'not-started' });
    if (options.signal?.aborted || outcome.failed.size > 0) {
      await finish();
      if (options.signal?.aborted) {
        const stopped = [...finishedWhileStopping, ...outcome.failed.keys()].map((n) => ({ name: n, id: byName.get(n)!.deployed.id }));
        throw await interruptedError(aws, stopped, ctx, {
          code: 'DESTROY_INTERRUPTED',
          nothingNew: 'no new deletion was started',
          busy: 'CloudFormation is still deleting',
          again,
          detail: dataDeleted(emptied, emptying),
        });
      }
      throw failure(outcome.failed, planned, reports, again);
    }
  }
  const outputsFile = await finish();
  const gone = deleted();
  return {
    ...base,
    nothingToDestroy: false,
    phases: REVERSE_PHASES.map((ph) => ({ phase: ph, stacks: planned.filter((p) => p.phase === ph).map((p) => reports.get(p.name)!) })).filter(
      (p) => p.stacks.length > 0,
    ),
    retained: gone.flatMap((p) => p.retained),
    emptied,
    ...(outputsFile ? { outputsFile } : {}),
    durationMs: Date.now() - started,
  };
}

/** The stage's stacks that exist in CloudFormation, looked up by the names the config gives them. */
async function deployedStacks(aws: AwsClients, stage: ResolvedStage): Promise<(StageStack & { deployed: DeployedStack })[]> {
  const scope = { project: stage.project, stage: stage.name };
  const found = await Promise.all(stageStacks(scope).map(async (s) => ({ ...s, deployed: await describeStack(aws, s.name) })));
  return found.filter((s): s is StageStack & { deployed: DeployedStack } => s.deployed !== undefined);
}

/** A stack in the middle of another operation cannot be deleted; refuse before anything changes. */
function assertNotBusy(stacks: readonly { name: string; deployed: DeployedStack }[], status: string): void {
  const busy = stacks.filter((s) => isInProgress(s.deployed.status) && s.deployed.status !== 'DELETE_IN_PROGRESS');
  if (busy.length === 0) return;
  throw new Spec3Error(
    'DESTROY_STACK_BUSY',
    `CloudFormation is still working on ${busy.map((s) => `${s.name} (${s.deployed.status})`).join(', ')}. Nothing was changed.`,
    `Wait for the operation to finish (\`${status}\`), then run the destroy again.`,
  );
}

/** Reads each stack's deployed template and resources: retained resources, buckets, and order. */
async function inspect(
  aws: AwsClients,
  stacks: readonly (StageStack & { deployed: DeployedStack })[],
  stage: ResolvedStage,
  again: string,
): Promise<PlannedStack[]> {
  const scope = { project: stage.project, stage: stage.name };
  const read = await Promise.all(
    stacks.map(async (s) => {
      const [template, resources] = await Promise.all([
        reading(s.name, 'GetTemplate', again, () => deployedTemplate(aws, s.deployed.id) as Promise<StackTemplate | undefined>),
        reading(s.name, 'ListStackResources', again, () => listStackResources(aws, s.deployed.id)),
      ]);
      return { stack: s, template, resources };
    }),
  );
  const order = deletionOrder(
    stacks,
    new Map(read.map((r) => [r.stack.name, readsFrom(r.stack, r.template, scope)])),
  );
  const byName = new Map(read.map((r) => [r.stack.name, r]));
  return [...order.keys()].map((name) => byName.get(name)!).map(({ stack, template, resources }) => ({
    ...stack,
    after: order.get(stack.name)!,
    // Without a readable template the policies are unknown: nothing is listed, nothing emptied,
    // and the plan says that what the stack retains is unknown.
    retained: template ? retainedResources(stack.name, template, resources) : [],
    buckets: template ? bucketsToEmpty(stack.name, template, resources) : [],
    tables: template ? tablesToDelete(stack.name, template, resources) : [],
    templateRead: template !== undefined,
    failed: resources.filter((r) => r.status === 'DELETE_FAILED'),
  }));
}

/** A failed read of a stack before anything is deleted: a named error, not a crash. */
async function reading<T>(stack: string, operation: string, again: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new Spec3Error(
      'DESTROY_READ_FAILED',
      `Could not read ${stack} before deleting anything (${operation}): ${describeAwsError(error)}. Nothing was changed.`,
      `Check your permissions with \`aws cloudformation describe-stacks --stack-name ${stack}\`, then run \`${again}\` again.`,
      { cause: error },
    );
  }
}

function destroyPlan(base: DeleteContext['base'], stage: ResolvedStage, planned: readonly PlannedStack[], checks: Preflight): DestroyPlan {
  const protectedBy = [
    ...(stage.protected ? [`"protected": true in the config of stage ${stage.name}`] : []),
    ...planned.filter((p) => p.deployed.terminationProtection).map((p) => `termination protection on ${p.name}`),
  ];
  return {
    ...base,
    protected: protectedBy.length > 0,
    protectedBy,
    phases: REVERSE_PHASES.map((phase) => ({
      phase,
      stacks: planned
        .filter((p) => p.phase === phase)
        .map((p) => ({ name: p.name, status: p.deployed.status, terminationProtection: p.deployed.terminationProtection, after: p.after })),
    })).filter((p) => p.stacks.length > 0),
    retained: planned.flatMap((p) => p.retained),
    retainedUnknown: planned.filter((p) => !p.templateRead).map((p) => p.name),
    buckets: checks.buckets.filter((b) => b.exists),
    tables: checks.tables.filter((t) => t.exists),
    blockers: checks.blockers,
    unchecked: checks.unchecked,
    finishing: [...checks.goneFailed].map(([stack, retain]) => ({ stack, retain })),
  };
}

/** The refusal: every blocker with its fix, before anything was deleted. */
function blocked(plan: DestroyPlan, open: readonly Blocker[], allowProtected: boolean, again: string): Spec3Error {
  const lines = open.map((b) => `  - ${b.problem}\n    fix: ${b.fix}`);
  const protection = plan.protected && !allowProtected ? ` The stage is also protected (${plan.protectedBy.join('; ')}): that needs --allow-protected.` : '';
  return new Spec3Error(
    'DESTROY_BLOCKED',
    `Stage ${plan.stage} cannot be destroyed as it is: ${open.length} thing(s) would stop the destroy half-way.${protection} Nothing was changed.\n${lines.join('\n')}`,
    `Fix each one as shown above, then run \`${again}\` again.`,
  );
}

function planMessage(plan: DestroyPlan): string {
  const stacks = plan.phases.reduce((n, p) => n + p.stacks.length, 0);
  return `Destroy ${stacks} stack(s) of stage ${plan.stage} in account ${plan.account}, ${plan.region}; ${plan.retained.length} resource(s) retained`;
}

/** Drops the deleted stacks from `.spec3/<stage>/outputs.json`; returns the file if it has changed. */
async function forgetOutputs(projectDir: string, stage: string, deleted: readonly string[], cwd: string): Promise<string | undefined> {
  const previous = await readOutputs(outputsPath(projectDir, stage));
  const gone = deleted.filter((name) => name in previous);
  if (gone.length === 0) return undefined;
  const file = await writeOutputs(projectDir, stage, new Map(gone.map((name) => [name, undefined])));
  return path.relative(cwd, file) || file;
}

function failure(
  failed: ReadonlyMap<string, unknown>,
  planned: readonly PlannedStack[],
  reports: ReadonlyMap<string, StackDestroyReport>,
  again: string,
): Spec3Error {
  const [, error] = [...failed.entries()][0]!;
  const e = error as Partial<Spec3Error> & Error;
  const inOrder = REVERSE_PHASES.flatMap((phase) => planned.filter((p) => p.phase === phase));
  const left = inOrder.filter((p) => ['planned', 'not-started'].includes(reports.get(p.name)!.status)).map((p) => p.name);
  const done = inOrder.filter((p) => reports.get(p.name)!.status === 'deleted').map((p) => p.name);
  const hint = [
    e.hint ?? 'Fix the cause above, then run the destroy again.',
    left.length > 0 ? `Not deleted: ${left.join(', ')}.` : '',
    done.length > 0 ? `Already deleted: ${done.join(', ')}.` : '',
    `Run \`${again}\` to finish; it picks up the stacks that are left.`,
  ];
  return new Spec3Error(e.code ?? 'STACK_DELETE_FAILED', e.message, hint.filter(Boolean).join('\n'), { cause: error });
}

/** After a stop: what the run had deleted of the buckets' data, said so nobody has to guess. */
function dataDeleted(emptied: readonly EmptiedBucket[], emptying: ReadonlyMap<string, number>): string {
  const data = [
    ...emptied.map((b) => `bucket ${b.bucket} was emptied (${b.objects} object version(s) and delete marker(s) deleted)`),
    ...[...emptying].map(
      ([bucket, count]) => `emptying bucket ${bucket} stopped after ${count} object version(s) and delete marker(s) were deleted; the rest, the bucket and its stack are still there`,
    ),
  ];
  return data.length > 0 ? `Data deleted: ${data.join('; ')}.` : '';
}
