import { readFile } from 'node:fs/promises';
import { withSignal, type AwsFlags } from '../../aws/access.js';
import type { AssemblyStack } from '../../aws/assembly.js';
import type { AwsClients } from '../../aws/clients.js';
import { detectStackDrift, type ResourceDrift } from '../../aws/cfn/drift.js';
import { currentSsmValues, deployReason, ssmParameters } from '../../aws/cfn/skip.js';
import { describeStack } from '../../aws/cfn/stacks.js';
import { deployedTemplate } from '../../aws/cfn/template.js';
import { connectStageWith, pollIntervals } from '../../aws/connect.js';
import { describeAwsError } from '../../aws/errors.js';
import { lookupRole } from '../../aws/roles.js';
import type { Context } from '../../context.js';
import { AbortError, isSpec3Error, Spec3Error } from '../../errors.js';
import type { Phase } from '../../stack/phases.js';
import { loadStage } from '../load-stage.js';
import { schedule } from '../schedule.js';
import { selectStacks } from '../select-stacks.js';
import { stackJob } from '../stack-job.js';

export interface DriftOptions {
  readonly stage: string;
  readonly config?: string;
  readonly phase?: string;
  readonly stacks?: readonly string[];
  /** Compare with this assembly (from `spec3 synth`) instead of synthesizing. */
  readonly assembly?: string;
  /** Seconds the whole detection may take; a stack not done by then is an error, never a verdict. */
  readonly timeoutSeconds?: number;
  /** Stacks checked at once. */
  readonly concurrency?: number;
  readonly aws?: AwsFlags;
  readonly signal?: AbortSignal;
}

export interface StackDriftReport {
  readonly name: string;
  readonly phase: Phase;
  /** IN_SYNC and DRIFTED are CloudFormation's verdicts; FAILED means no verdict could be had. */
  readonly status: 'IN_SYNC' | 'DRIFTED' | 'NOT_DEPLOYED' | 'FAILED';
  /** Resources changed or deleted outside CloudFormation, with their property differences. */
  readonly drifted: readonly ResourceDrift[];
  /** Resources CloudFormation cannot check for drift. */
  readonly notChecked: readonly ResourceDrift[];
  /** What the synthesized stack would change if deployed now (undeployed changes), e.g. "template changed". */
  readonly templateDrift?: string;
  readonly error?: { readonly code: string; readonly message: string; readonly hint?: string };
  readonly durationMs: number;
}

export interface DriftResult {
  readonly project: string;
  readonly stage: string;
  readonly account: string;
  readonly region: string;
  readonly stacks: readonly StackDriftReport[];
  /** Stacks with resource drift or undeployed changes. */
  readonly drifted: number;
  /** Stacks whose check failed or timed out. */
  readonly failed: number;
  readonly durationMs: number;
}

export const DEFAULT_DRIFT_TIMEOUT_SECONDS = 300;
export const DEFAULT_DRIFT_CONCURRENCY = 10;

/**
 * `spec3 drift <stage>`: CloudFormation drift detection on every deployed stack at once (bounded),
 * the property differences of each drifted resource, the resources that could not be checked, and
 * the template drift (changes not deployed yet) of each stack, in one report.
 */
export async function run(options: DriftOptions, ctx: Context): Promise<DriftResult> {
  const started = Date.now();
  const { stage, assembly } = await loadStage(options, ctx);
  const chosen = selectStacks(assembly.stacks, { phase: options.phase, stacks: options.stacks }, stage.name);
  if (chosen.length === 0) throw new Spec3Error('NOTHING_TO_CHECK', `No stack of stage ${stage.name} matches the selection.`);
  const {
    connection: { local },
    reads: role,
  } = await connectStageWith(stage, withSignal(options.aws, options.signal), ctx, (aws) => lookupRole(aws, chosen[0]!));
  if (role.unavailable) ctx.io.emit({ code: 'LOOKUP_ROLE_UNAVAILABLE', level: 'warn', message: role.unavailable });

  const deadline = started + (options.timeoutSeconds ?? DEFAULT_DRIFT_TIMEOUT_SECONDS) * 1000;
  const polling = { ...pollIntervals(local), deadline, ...(options.signal ? { signal: options.signal } : {}) };
  const reports = new Map<string, StackDriftReport>();
  ctx.io.emit({ code: 'DRIFT_START', level: 'info', message: `Detecting drift on ${chosen.length} stack(s) of ${stage.name}` });
  await schedule(
    chosen.map((s) => ({ name: s.name, after: [] })),
    options.concurrency ?? DEFAULT_DRIFT_CONCURRENCY,
    async (job) => {
      const stack = chosen.find((s) => s.name === job.name)!;
      // A stack's failure is part of the report, never a reason to stop checking the others.
      await stackJob(
        ctx.io,
        stack.name,
        `${stack.name}: detecting drift`,
        () => checkStack(role.clients, stack, polling),
        (report) => {
          reports.set(stack.name, report);
          return verdict(report);
        },
        () => undefined,
      ).catch((error: unknown) => {
        if (error instanceof AbortError) throw error;
        reports.set(stack.name, failedReport(stack, error, Date.now() - started));
      });
    },
    options.signal,
  );
  if (options.signal?.aborted) throw new AbortError('Interrupted; drift detection that already started goes on in CloudFormation.');
  const stacks = chosen.map((s) => reports.get(s.name)!);
  return {
    project: stage.project,
    stage: stage.name,
    account: stage.account,
    region: stage.region,
    stacks,
    drifted: stacks.filter((s) => s.status === 'DRIFTED' || s.status === 'NOT_DEPLOYED' || s.templateDrift).length,
    failed: stacks.filter((s) => s.status === 'FAILED').length,
    durationMs: Date.now() - started,
  };
}

async function checkStack(aws: AwsClients, stack: AssemblyStack, polling: Parameters<typeof detectStackDrift>[2]): Promise<StackDriftReport> {
  const t0 = Date.now();
  const deployed = await describeStack(aws, stack.name);
  if (!deployed) {
    return { name: stack.name, phase: stack.phase, status: 'NOT_DEPLOYED', drifted: [], notChecked: [], templateDrift: 'not deployed', durationMs: 0 };
  }
  const [detection, templateDrift] = await Promise.all([detectStackDrift(aws, stack.name, polling), undeployedChanges(aws, stack, deployed)]);
  const base = {
    name: stack.name,
    phase: stack.phase,
    drifted: detection.drifted,
    notChecked: detection.notChecked,
    ...(templateDrift ? { templateDrift } : {}),
    durationMs: Date.now() - t0,
  };
  if (detection.failure) {
    return { ...base, status: 'FAILED', error: { code: 'DRIFT_DETECTION_FAILED', message: `${stack.name}: ${detection.failure}` } };
  }
  return { ...base, status: detection.status === 'DRIFTED' || detection.drifted.length > 0 ? 'DRIFTED' : 'IN_SYNC' };
}

/** Why a deploy would change the stack now (the synthesized template against the deployed one). */
async function undeployedChanges(
  aws: AwsClients,
  stack: AssemblyStack,
  deployed: NonNullable<Awaited<ReturnType<typeof describeStack>>>,
): Promise<string | undefined> {
  const template = JSON.parse(await readFile(stack.templateFile, 'utf8')) as object;
  const names = Object.values(ssmParameters(template as never));
  const [previous, values] = await Promise.all([
    deployedTemplate(aws, stack.name),
    names.length > 0 ? currentSsmValues(aws, names) : new Map<string, string>(),
  ]);
  return deployReason({ template, tags: stack.tags, terminationProtection: stack.terminationProtection }, deployed, previous, values);
}

function verdict(report: StackDriftReport): string {
  if (report.status === 'NOT_DEPLOYED') return 'not deployed';
  const parts = [report.status === 'DRIFTED' ? `drifted (${report.drifted.length} resource(s))` : report.status === 'FAILED' ? 'check failed' : 'in sync'];
  if (report.templateDrift) parts.push(`undeployed changes: ${report.templateDrift}`);
  return parts.join('; ');
}

function failedReport(stack: AssemblyStack, error: unknown, durationMs: number): StackDriftReport {
  const e = isSpec3Error(error)
    ? { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) }
    : { code: 'DRIFT_FAILED', message: `${stack.name}: drift detection failed: ${describeAwsError(error)}` };
  return { name: stack.name, phase: stack.phase, status: 'FAILED', drifted: [], notChecked: [], error: e, durationMs };
}
