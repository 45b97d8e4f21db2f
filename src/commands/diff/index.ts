import { readFile } from 'node:fs/promises';
import { withSignal, type AwsFlags } from '../../aws/access.js';
import type { AssemblyStack } from '../../aws/assembly.js';
import type { AwsClients } from '../../aws/clients.js';
import type { PlannedChange } from '../../aws/cfn/change-set-preview.js';
import { currentSsmValues, ssmParameters } from '../../aws/cfn/skip.js';
import { describeStack, isFailedCreate, type DeployedStack } from '../../aws/cfn/stacks.js';
import { deployedTemplate } from '../../aws/cfn/template.js';
import { connectStageWith, pollIntervals } from '../../aws/connect.js';
import { describeAwsError } from '../../aws/errors.js';
import { lookupRole } from '../../aws/roles.js';
import type { Context } from '../../context.js';
import { AbortError, Spec3Error } from '../../errors.js';
import type { Phase } from '../../stack/phases.js';
import { loadStage } from '../load-stage.js';
import { findRemovedStacks, type RemovedStack } from '../removed-stacks.js';
import { selectStacks } from '../select-stacks.js';
import { planChangeSets } from './change-sets.js';
import { compareTemplates, type ResourceDiff, type SecurityDiff } from './template-diff.js';

export type { ResourceDiff, SecurityDiff } from './template-diff.js';
export type { PlannedChange } from '../../aws/cfn/change-set-preview.js';

export interface DiffOptions {
  readonly stage: string;
  readonly config?: string;
  readonly phase?: string;
  readonly stacks?: readonly string[];
  /** Compare this assembly (from `spec3 synth`) instead of synthesizing. */
  readonly assembly?: string;
  /** Also ask CloudFormation for its plan of each changed, deployed stack (a change set, deleted afterwards). */
  readonly changeSet?: boolean;
  readonly aws?: AwsFlags;
  /** Aborted on Ctrl-C: the change sets created so far are deleted, and the run ends. */
  readonly signal?: AbortSignal;
}

export interface StackDiff {
  readonly name: string;
  readonly phase: Phase;
  /** new: not deployed (or a failed create a deploy replaces); changed: a deploy would update it. */
  readonly status: 'new' | 'changed' | 'unchanged';
  /** The CloudFormation status of the deployed stack. */
  readonly stackStatus?: string;
  readonly resources: readonly ResourceDiff[];
  readonly security: SecurityDiff;
  /** SSM parameters the stack reads whose value changed since it was deployed (a deploy passes the new value on). */
  readonly parameters?: readonly string[];
  /** Stack settings a deploy would change: tags, termination protection. */
  readonly settings?: readonly string[];
  /** With --change-set: CloudFormation's plan for a changed, deployed stack (the change set was deleted afterwards). */
  readonly changeSet?: readonly PlannedChange[];
  /** With --change-set: why the stack got no change set. */
  readonly changeSetSkipped?: string;
  /** The template difference as the CDK diff library renders it; empty when the template is unchanged. */
  readonly text: string;
}

export interface DiffResult {
  readonly project: string;
  readonly stage: string;
  readonly account: string;
  readonly region: string;
  readonly stacks: readonly StackDiff[];
  /** Deployed stacks of the stage that the config no longer has: a difference too (exit 2). */
  readonly removed: readonly RemovedStack[];
}

/**
 * `spec3 diff <stage>`: each chosen stack's deployed template (read through the bootstrap lookup
 * role) against the synthesized one, the SSM values its parameters resolve to, and its stack
 * settings; with `changeSet`, CloudFormation's own plan too. Changes nothing but the temporary
 * change sets, which are always deleted.
 */
export async function run(options: DiffOptions, ctx: Context): Promise<DiffResult> {
  const { stage, assembly } = await loadStage(options, ctx);
  const chosen = selectStacks(assembly.stacks, { phase: options.phase, stacks: options.stacks }, stage.name);
  if (chosen.length === 0) throw new Spec3Error('NOTHING_TO_DIFF', `No stack of stage ${stage.name} matches the selection.`);

  const first = chosen[0]!;
  const { connection, reads: lookup } = await connectStageWith(stage, withSignal(options.aws, options.signal), ctx, (aws) => lookupRole(aws, first));
  if (lookup.unavailable) ctx.io.emit({ code: 'LOOKUP_ROLE_UNAVAILABLE', level: 'warn', message: lookup.unavailable });
  ctx.io.emit({
    code: 'DIFF_START',
    level: 'info',
    message: `Comparing ${chosen.length} stack(s) with account ${stage.account}, ${stage.region}`,
    data: { stacks: chosen.map((s) => s.name) },
  });

  const [compared, removed] = await Promise.all([
    Promise.all(
      chosen.map(async (stack) => {
        const c = await compareStack(lookup.clients, stack);
        ctx.io.emit({ code: 'DIFF_STACK', level: 'info', message: `${stack.name}: ${summary(c.diff)}`, data: { stack: stack.name, status: c.diff.status } });
        return c;
      }),
    ),
    findRemovedStacks(lookup.clients, { project: stage.project, stage: stage.name }, new Set(assembly.stacks.map((s) => s.name))),
  ]);
  if (options.signal?.aborted) throw new AbortError('Interrupted; nothing was changed.');

  const result = (stacks: readonly StackDiff[]): DiffResult => ({
    project: stage.project,
    stage: stage.name,
    account: stage.account,
    region: stage.region,
    stacks,
    removed,
  });
  if (!options.changeSet) return result(compared.map((c) => c.diff));
  const poll = { ...pollIntervals(connection.local), ...(options.signal ? { signal: options.signal } : {}) };
  const targets = compared.map((c) => ({ ...c, status: c.diff.status, ...(c.diff.stackStatus ? { stackStatus: c.diff.stackStatus } : {}) }));
  const plans = await planChangeSets(connection.aws, targets, poll, ctx);
  return result(
    compared.map(({ diff }) => {
      const plan = plans.get(diff.name);
      if (!plan) return diff;
      return 'changes' in plan ? { ...diff, changeSet: plan.changes } : { ...diff, changeSetSkipped: plan.skipped };
    }),
  );
}

/** One stack compared, with what a change set needs. */
interface ComparedStack {
  readonly stack: AssemblyStack;
  readonly template: object;
  readonly diff: StackDiff;
}

async function compareStack(aws: AwsClients, stack: AssemblyStack): Promise<ComparedStack> {
  const template = JSON.parse(await readFile(stack.templateFile, 'utf8')) as object;
  const { deployed, previous, values } = await readDeployed(aws, stack, template);
  // A create that failed leaves nothing a deploy keeps: the deploy replaces it, like a new stack.
  const isNew = !deployed || isFailedCreate(deployed.status);
  const templates = await compareTemplates(isNew ? {} : previous!, template);
  const parameters = isNew ? [] : changedParameters(template, deployed, values);
  const settings = isNew ? [] : changedSettings(stack, deployed);
  const status = isNew ? 'new' : templates.empty && parameters.length === 0 && settings.length === 0 ? 'unchanged' : 'changed';
  const diff: StackDiff = {
    name: stack.name,
    phase: stack.phase,
    status,
    ...(deployed ? { stackStatus: deployed.status } : {}),
    resources: templates.resources,
    security: templates.security,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(settings.length > 0 ? { settings } : {}),
    text: templates.text,
  };
  return { stack, template, diff };
}

/** What CloudFormation has of the stack: its state, its template, and the current values of the SSM parameters it reads. */
async function readDeployed(
  aws: AwsClients,
  stack: AssemblyStack,
  template: object,
): Promise<{ deployed: DeployedStack | undefined; previous: object | undefined; values: ReadonlyMap<string, string> }> {
  try {
    const deployed = await describeStack(aws, stack.name);
    if (!deployed || isFailedCreate(deployed.status)) return { deployed, previous: undefined, values: new Map() };
    const names = Object.values(ssmParameters(template as never));
    const [previous, values] = await Promise.all([
      deployedTemplate(aws, stack.name),
      names.length > 0 ? currentSsmValues(aws, names) : new Map<string, string>(),
    ]);
    if (!previous) {
      throw new Spec3Error(
        'TEMPLATE_NOT_JSON',
        `The deployed template of ${stack.name} is not JSON, so it cannot be compared.`,
        'spec3 deploys JSON templates: the stack was last deployed by another tool. A spec3 deploy replaces the template.',
      );
    }
    return { deployed, previous, values };
  } catch (error) {
    if (error instanceof Spec3Error) throw error;
    throw new Spec3Error(
      'DIFF_READ_FAILED',
      `${stack.name}: reading the deployed stack failed: ${describeAwsError(error)}`,
      'The credentials (or the bootstrap lookup role) need cloudformation:DescribeStacks, cloudformation:GetTemplate and ssm:GetParameters.',
      { cause: error },
    );
  }
}

/** SSM-typed parameters whose value is no longer the one the stack resolved when it was deployed. */
function changedParameters(template: object, deployed: DeployedStack, values: ReadonlyMap<string, string>): string[] {
  const changed: string[] = [];
  for (const [key, name] of Object.entries(ssmParameters(template as never))) {
    const used = deployed.parameters[key]?.resolved;
    // A parameter the stack does not have yet shows in the template difference.
    if (used !== undefined && used !== values.get(name)) changed.push(name);
  }
  return changed;
}

function changedSettings(stack: AssemblyStack, deployed: DeployedStack): string[] {
  const settings: string[] = [];
  const keys = [...new Set([...Object.keys(stack.tags), ...Object.keys(deployed.tags)])].sort();
  for (const key of keys) {
    const was = deployed.tags[key];
    const now = stack.tags[key];
    if (was === now) continue;
    if (was === undefined) settings.push(`tag ${key}=${now} added`);
    else if (now === undefined) settings.push(`tag ${key}=${was} removed`);
    else settings.push(`tag ${key} changed from ${was} to ${now}`);
  }
  if (deployed.terminationProtection !== stack.terminationProtection) {
    settings.push(`termination protection turned ${stack.terminationProtection ? 'on' : 'off'}`);
  }
  return settings;
}

function summary(diff: StackDiff): string {
  if (diff.status === 'unchanged') return 'no differences';
  const count = (change: ResourceDiff['change']) => diff.resources.filter((r) => r.change === change).length;
  const parts = [
    count('add') > 0 ? `${count('add')} to add` : '',
    count('modify') > 0 ? `${count('modify')} to modify` : '',
    count('remove') > 0 ? `${count('remove')} to remove` : '',
    diff.parameters?.length ? `${diff.parameters.length} parameter(s) changed` : '',
    diff.settings?.length ? `${diff.settings.length} setting(s) changed` : '',
  ].filter(Boolean);
  const what = parts.length > 0 ? parts.join(', ') : 'template changed, no resource affected';
  return diff.status === 'new' ? `not deployed; ${what}` : what;
}
