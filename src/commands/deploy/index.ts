import path from 'node:path';
import { withSignal, type AwsFlags } from '../../aws/access.js';
import type { AssemblyStack } from '../../aws/assembly.js';
import { assertBootstrapped } from '../../aws/bootstrap-version.js';
import { summarizeChanges, type ResourceChange } from '../../aws/cfn/change-set.js';
import { deployStack, StackCallError } from '../../aws/cfn/deploy-stack.js';
import { describeStack, isInProgress } from '../../aws/cfn/stacks.js';
import { templateUrl } from '../../aws/cfn/template.js';
import { connectStage, pollIntervals } from '../../aws/connect.js';
import { loadConfig } from '../../config/load.js';
import { resolveStage } from '../../config/resolve.js';
import type { Context } from '../../context.js';
import { AbortError, Spec3Error } from '../../errors.js';
import { parsePhase, PHASES, type Phase } from '../../stack/phases.js';
import { findBroadening, type Broadening } from './broadening.js';
import { approvalLevel, type ApprovalLevel } from '../../config/approval.js';
import { writeOutputs } from './outputs.js';
import { prepareStacks, type PreparedStack } from './prepare.js';
import { schedule } from '../schedule.js';
import { startAssetPublishing } from './stack-assets.js';
import { TemplateRecord } from './template-record.js';
import { changeSetEvents, resourceEvents, stackJob } from '../stack-job.js';
import { findRemovedStacks, removedMessage, type RemovedStack } from '../removed-stacks.js';
import type { DestroyResult } from '../destroy/index.js';
import { checkPrerequisites } from './select.js';
import { selectStacks } from '../select-stacks.js';
import { loadStage } from '../load-stage.js';
import { deployRole } from '../../aws/roles.js';
import { withStageLock } from '../../aws/lock.js';
import { runTargetOf, spec3Command } from '../rerun.js';
import { interruptedError, throwIfInterrupted } from '../interrupted.js';
import { assertDockerAvailable } from '../../aws/docker-check.js';
import { standInMessage, standInTypes } from '../../aws/local-stand-ins.js';

export interface DeployOptions {
  readonly stage: string;
  readonly config?: string;
  readonly phase?: string;
  readonly stacks?: readonly string[];
  /** Deploy this assembly (from `spec3 synth`) instead of synthesizing. */
  readonly assembly?: string;
  readonly concurrency?: number;
  readonly dryRun?: boolean;
  /**
   * What needs approval before anything changes: "broadening" (IAM or security-group access widens;
   * the default), "any" (every change), "never" (the check is not computed at all). Default: the
   * config's `requireApproval`, else "broadening". The host asks in a terminal, answers Yes under
   * `--yes`, and refuses (APPROVAL_REQUIRED) when nobody can be asked.
   */
  readonly requireApproval?: ApprovalLevel;
  readonly aws?: AwsFlags;
  /**
   * After the deploy, delete the stage's stacks the config no longer has, with destroy's safety:
   * the plan listed, the typed stage name asked in a terminal, a protected stage refused.
   */
  readonly prune?: boolean;
  /** With `prune`: skip the typed confirmation (unprotected stages only), as `destroy --force`. */
  readonly pruneForce?: boolean;
  /** With `prune`: allow deleting stacks of a protected stage (the typed confirmation is still asked). */
  readonly allowProtected?: boolean;
  /** Aborted on Ctrl-C: no new stack starts, waits stop, the result says what is still running. */
  readonly signal?: AbortSignal;
}

export type StackAction = 'create' | 'update' | 'skip';

export interface StackReport {
  readonly name: string;
  readonly phase: Phase;
  readonly action: StackAction;
  /** Why it is deployed, e.g. "template changed"; absent when skipped. */
  readonly reason?: string;
  readonly status: 'planned' | 'skipped' | 'created' | 'updated' | 'no-changes' | 'failed' | 'not-started';
  readonly changes?: readonly ResourceChange[];
  readonly durationMs?: number;
  readonly outputs?: Readonly<Record<string, string>>;
}

export interface DeployResult {
  readonly project: string;
  readonly stage: string;
  readonly account: string;
  readonly region: string;
  readonly dryRun: boolean;
  readonly phases: readonly { readonly phase: Phase; readonly stacks: readonly StackReport[] }[];
  readonly outputsFile?: string;
  readonly durationMs: number;
  /** Deployed stacks of the stage that the config no longer has. */
  readonly removed: readonly RemovedStack[];
  /** With `prune`: the deletion of those stacks. */
  readonly pruned?: DestroyResult;
}

const DEFAULT_CONCURRENCY = 4;

/**
 * `spec3 deploy <stage>`: check the account, take the stage's lock (not for a dry run), synthesize,
 * check the bootstrap, decide per stack (skip what is unchanged), ask approval for broadened access, publish assets, then run the phases in order
 * through change sets, independent stacks in parallel.
 */
export async function run(options: DeployOptions, ctx: Context): Promise<DeployResult> {
  const started = Date.now();
  // The account check and the stage's lock come before the synth: a second run of the stage must
  // not even rewrite the cloud assembly the first one is deploying from.
  parsePhase(options.phase); // a bad --phase is refused before anything, the lock included, is written
  const loaded = await loadConfig({ cwd: ctx.cwd, config: options.config, io: ctx.io });
  const target = resolveStage(loaded.config, options.stage, loaded.name);
  // An assembly given with --assembly is read and checked now: one of another stage is refused
  // before the lock, the `.spec3/<stage>/` files or any stack is touched.
  const given = options.assembly ? await loadStage(options, ctx, loaded) : undefined;
  const { aws, local, identity } = await connectStage(target, withSignal(options.aws, options.signal), ctx);
  const rerun = runTargetOf(options, ctx.env);

  const deploy = async (): Promise<DeployResult> => {
    throwIfInterrupted(options.signal);
    const { stage, projectDir, assembly } = given ?? (await loadStage(options, ctx, loaded));
    throwIfInterrupted(options.signal);
    const chosen = selectStacks(assembly.stacks, { phase: options.phase, stacks: options.stacks }, stage.name);
    if (chosen.length === 0) throw new Spec3Error('NOTHING_TO_DEPLOY', `No stack of stage ${stage.name} matches the selection.`);
    const first = chosen[0]!;
    const [, role] = await Promise.all([
      assertBootstrapped(aws, {
        stage: stage.name,
        bootstrapCommand: spec3Command(rerun, 'bootstrap', stage.name),
        account: stage.account,
        region: stage.region,
        parameter: first.bootstrapVersionParameter ?? '/cdk-bootstrap/hnb659fds/version',
        required: Math.max(...chosen.map((s) => s.requiresBootstrapVersion)),
      }),
      deployRole(aws, first),
    ]);
    if (role.unavailable) ctx.io.emit({ code: 'DEPLOY_ROLE_UNAVAILABLE', level: 'warn', message: role.unavailable });
    const deployer = role.clients;
    const record = await TemplateRecord.load(projectDir, stage.name);
    const [{ states, prepared }, removed] = await Promise.all([
      prepareStacks(deployer, assembly.stacks, chosen, record),
      findRemovedStacks(aws, { project: stage.project, stage: stage.name }, new Set(assembly.stacks.map((s) => s.name))),
    ]);
    if (removed.length > 0) {
      ctx.io.emit({
        code: 'STACKS_REMOVED_FROM_CONFIG',
        level: options.prune ? 'info' : 'warn',
        message: options.prune
          ? `Removed from config, deleted after the deploy (--prune): ${removed.map((r) => r.name).join(', ')}`
          : removedMessage(removed, stage.name),
        data: removed,
      });
    }
    for (const p of prepared) if (p.reason === undefined && p.deployed) record.set(p.deployed, p.body);
    checkPrerequisites(assembly.stacks, chosen, states, stage.name, rerun);
    const reports = new Map<string, StackReport>(prepared.map((p) => [p.stack.name, plannedReport(p)]));
    const phasesOf = () =>
      PHASES.map((phase) => ({ phase, stacks: chosen.filter((s) => s.phase === phase).map((s) => reports.get(s.name)!) })).filter(
        (p) => p.stacks.length > 0,
      );
    ctx.io.emit({ code: 'DEPLOY_PLAN', level: 'info', message: planMessage(prepared), data: { phases: phasesOf() } });
    const result = (outputsFile?: string): DeployResult => ({
      project: stage.project,
      stage: stage.name,
      account: stage.account,
      region: stage.region,
      dryRun: Boolean(options.dryRun),
      phases: phasesOf(),
      ...(outputsFile ? { outputsFile } : {}),
      durationMs: Date.now() - started,
      removed,
    });
    const toDeploy = prepared.filter((p) => p.reason !== undefined);
    if (options.dryRun) return result();
    if (toDeploy.length === 0) {
      await record.save();
      return result();
    }
    // The local AWS only stands in for some types: say which, so a deploy that works locally is not mistaken for a tested one.
    const standIns = local ? standInTypes(toDeploy.map((p) => p.body)) : [];
    if (standIns.length > 0) ctx.io.emit({ code: 'LOCAL_STAND_INS', level: 'info', message: standInMessage(standIns)!, data: { types: standIns } });

    // Uploads change no stack, so they start now, beside the access check and the earlier phases.
    // With the caller's own credentials, as cdk-assets does: it assumes the bootstrap publishing role itself.
    // Approval comes before any upload: a deploy refused or declined has changed nothing.
    const level = approvalLevel(options.requireApproval, loaded.config.requireApproval);
    if (level !== 'never') await approve(level, await findBroadening(toDeploy, assembly.stacks), toDeploy, stage.name, ctx);
    await assertDockerAvailable(toDeploy.flatMap((p) => p.stack.assetManifests), { env: ctx.env });
    const assets = startAssetPublishing(aws, toDeploy, ctx);

    const poll = pollIntervals(local);
    const byName = new Map(prepared.map((p) => [p.stack.name, p]));
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    // Stacks that finished after the stop signal: they were under way when it came, and the report names them too.
    const finishedWhileStopping: string[] = [];
    for (const phase of PHASES) {
      const jobs = toDeploy.filter((p) => p.stack.phase === phase).map((p) => ({ name: p.stack.name, after: p.stack.dependsOn }));
      if (jobs.length === 0) continue;
      ctx.io.emit({ code: 'PHASE_START', level: 'info', message: `Phase ${phase}`, data: { phase, stacks: jobs.map((j) => j.name) } });
      const outcome = await schedule(
        jobs,
        concurrency,
        async (job) => {
          const p = byName.get(job.name)!;
          await stackJob(
            ctx.io,
            job.name,
            `${job.name}: ${p.reason}`,
            async () => {
              await assets.ready(job.name);
              return deployStack(deployer, deployInput(p), p.deployed, {
                destroyCommand: spec3Command(rerun, 'destroy', stage.name),
                ...poll,
                ...(options.signal ? { signal: options.signal } : {}),
                onChanges: (changes) =>
                  ctx.io.emit({
                    code: 'STACK_CHANGES',
                    level: 'info',
                    message: `${job.name}: ${summarizeChanges(changes)}`,
                    data: { stack: job.name, changes },
                  }),
                onEvent: resourceEvents(ctx.io, job.name),
                onNotice: (message) => ctx.io.emit({ code: 'STACK_NOTICE', level: 'warn', message, data: { stack: job.name } }),
                onChangeSet: changeSetEvents(ctx.io, job.name),
              });
            },
            (done, durationMs) => {
              reports.set(job.name, { ...reports.get(job.name)!, status: done.action, changes: done.changes, durationMs, outputs: done.stack.outputs });
              states.set(job.name, done.stack);
              record.set(done.stack, p.body);
              if (options.signal?.aborted) finishedWhileStopping.push(job.name);
              return done.action;
            },
            (durationMs) => reports.set(job.name, { ...reports.get(job.name)!, status: 'failed', durationMs }),
          );
        },
        options.signal,
      );
      for (const name of outcome.notStarted) reports.set(name, { ...reports.get(name)!, status: 'not-started' });
      if (options.signal?.aborted) {
        await record.save();
        throw await interruptedError(deployer, [...finishedWhileStopping, ...outcome.failed.keys()].map((name) => ({ name })), ctx, {
          code: 'DEPLOY_INTERRUPTED',
          nothingNew: 'no new stack was started',
          busy: 'CloudFormation is still working on',
          again: spec3Command(rerun, 'deploy', stage.name),
        });
      }
      if (outcome.failed.size > 0) {
        await Promise.all([writeOutputs(projectDir, stage.name, states), record.save()]);
        throw failedPhase(outcome.failed, toDeploy, outcome.notStarted, phase);
      }
    }
    const published = await assets.totals();
    ctx.io.emit({
      code: 'ASSETS_PUBLISHED',
      level: 'debug',
      message: `Assets: ${published.published} uploaded, ${published.found} already published`,
      data: published,
    });
    const [outputsFile] = await Promise.all([writeOutputs(projectDir, stage.name, states), record.save()]);
    return result(path.relative(ctx.cwd, outputsFile) || outputsFile);
  };
  // A dry run changes nothing and takes no lock.
  if (options.dryRun) return deploy();
  const deployed = await withStageLock(
    aws,
    { project: target.project, stage: target.name, command: 'deploy', arn: identity.arn, unlockCommand: spec3Command(rerun, 'unlock', target.name), env: ctx.env },
    ctx.io,
    deploy,
  );
  if (!options.prune || deployed.removed.length === 0) return deployed;
  // Destroy's own run deletes them, after the deploy released the lock: its plan, confirmation,
  // protection rules and lock apply unchanged, limited to exactly these stacks.
  const { run: destroy } = await import('../destroy/index.js');
  const names = deployed.removed.map((s) => s.name).join(', ');
  const pruned = await destroy(
    {
      stage: options.stage,
      ...(options.config ? { config: options.config } : {}),
      only: deployed.removed.map((s) => s.name),
      force: Boolean(options.pruneForce),
      allowProtected: Boolean(options.allowProtected),
      ...(options.aws ? { aws: options.aws } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    },
    ctx,
  ).catch((error: unknown) => {
    // Destroy's refusals name destroy's flags; a prune is approved with deploy's.
    if (error instanceof Spec3Error && error.code === 'NEEDS_ANSWER') {
      throw new Spec3Error(
        'NEEDS_ANSWER',
        `The deploy is done; deleting the stacks removed from config (${names}) needs the stage name typed as confirmation, and there is no interactive terminal to ask in. Nothing was deleted.`,
        `Run \`spec3 deploy ${options.stage} --prune\` in an interactive terminal, or add --yes to delete them without the confirmation (unprotected stages only).`,
        { cause: error },
      );
    }
    if (error instanceof Spec3Error && error.code === 'DESTROY_PROTECTED') {
      throw new Spec3Error(
        'DESTROY_PROTECTED',
        `The deploy is done; ${error.message.replace(/^Stage /, 'stage ')}`,
        `To delete ${names} anyway, run \`spec3 deploy ${options.stage} --prune --allow-protected\` in a terminal and type the stage name when asked.`,
        { cause: error },
      );
    }
    throw error;
  });
  return { ...deployed, pruned, durationMs: Date.now() - started };
}

function plannedReport(p: PreparedStack): StackReport {
  return {
    name: p.stack.name,
    phase: p.stack.phase,
    action: p.reason === undefined ? 'skip' : p.deployed && p.deployed.status !== 'ROLLBACK_COMPLETE' ? 'update' : 'create',
    ...(p.reason !== undefined ? { reason: p.reason } : {}),
    status: p.reason === undefined ? 'skipped' : 'planned',
  };
}

function planMessage(prepared: readonly PreparedStack[]): string {
  const changing = prepared.filter((p) => p.reason !== undefined).length;
  return `${prepared.length} stack(s): ${changing} to deploy, ${prepared.length - changing} unchanged`;
}

function deployInput(p: PreparedStack) {
  const s: AssemblyStack = p.stack;
  return {
    name: s.name,
    ...(p.inline || !s.templateObjectUrl ? { templateBody: p.body } : { templateUrl: templateUrl(s.templateObjectUrl, s.region) }),
    tags: s.tags,
    terminationProtection: s.terminationProtection,
    ...(s.executionRoleArn ? { executionRoleArn: s.executionRoleArn } : {}),
  };
}

/**
 * Asks once, before anything runs, when the deploy widens IAM or security-group access (or, at
 * level "any", whenever it changes a stack). The question defaults to No; `--yes` answers Yes and
 * says so; without a terminal the host refuses with APPROVAL_REQUIRED, so CI never widens access
 * unseen.
 */
async function approve(
  level: Exclude<ApprovalLevel, 'never'>,
  broadening: readonly Broadening[],
  toDeploy: readonly PreparedStack[],
  stage: string,
  ctx: Context,
): Promise<void> {
  if (level === 'broadening' && broadening.length === 0) return;
  if (broadening.length > 0) {
    ctx.io.emit({
      code: 'ACCESS_BROADENED',
      level: 'warn',
      message: `This deploy widens access (Allow statements and rules added; Deny statements that only narrow access are not listed):\n${broadening
        .map((b) => `${b.stack}\n${b.text}`)
        .join('\n')}`,
      data: broadening.map(({ text: _text, ...rows }) => rows),
    });
  }
  const what = broadening.length > 0 ? 'these access changes' : `the changes to ${toDeploy.length} stack(s)`;
  const ok = await ctx.io.ask({
    code: 'DEPLOY_APPROVE',
    kind: 'confirm',
    message: `Deploy ${what}?`,
    default: false,
    yes: true,
    refusal: {
      code: 'APPROVAL_REQUIRED',
      message: `Deploy of stage ${stage} needs approval (${broadening.length > 0 ? 'it widens access, listed above' : 'every change needs approval: --require-approval any'}), and there is no terminal to ask in; nothing was changed.`,
      hint: `Review it with \`spec3 diff ${stage}\`, then approve it with \`spec3 deploy ${stage} --yes\` (or run \`spec3 deploy ${stage} --require-approval never\` to deploy without the check).`,
    },
  });
  if (!ok) throw new AbortError('Deploy cancelled; nothing was changed.');
}

/** One error for a phase that failed: every failed stack with its reasons, and what was not started. */
function failedPhase(
  failed: ReadonlyMap<string, unknown>,
  toDeploy: readonly PreparedStack[],
  notStarted: readonly string[],
  phase: Phase,
): Spec3Error {
  const errors = [...failed.values()] as Spec3Error[];
  const later = toDeploy.filter((p) => notStarted.includes(p.stack.name) || PHASES.indexOf(p.stack.phase) > PHASES.indexOf(phase));
  // A change set that ran goes on in CloudFormation: its stack is not "intact", whatever happened to this run.
  const ran = [...failed].filter(([, e]) => e instanceof StackCallError && e.changeSetRan).map(([name]) => name);
  const hint = [
    errors[0]?.hint,
    later.length > 0 ? `Not started: ${later.map((p) => p.stack.name).join(', ')}.` : undefined,
    ran.length > 0
      ? `The change set of ${ran.join(', ')} was executed before the failure; its state is given above. The deploy run again waits for it and finishes the stage.`
      : 'Stacks that were already deployed are intact.',
  ]
    .filter(Boolean)
    .join('\n');
  return new Spec3Error(errors[0]?.code ?? 'STACK_FAILED', errors.map((e) => e.message).join('\n'), hint, { cause: errors[0] });
}
