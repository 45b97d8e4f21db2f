import type { StackResource } from '../../aws/cfn/delete-stack.js';
import { ssmParameters } from '../../aws/cfn/skip.js';
import type { DeployedStack } from '../../aws/cfn/stacks.js';
import { Spec3Error } from '../../errors.js';
import { stackName, type NameScope, type StageStack } from '../../stack/naming.js';
import { phaseIndex, STACK_PHASES, type Phase, type StackKind } from '../../stack/phases.js';

/** A resource CloudFormation leaves in place when its stack is deleted. */
export interface RetainedResource {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  readonly policy: string;
}

/** A bucket deleted with its stack: it is emptied (every version and delete marker) first. */
export interface BucketToEmpty {
  readonly stack: string;
  readonly logicalId: string;
  readonly bucket: string;
}

/** A table deleted with its stack, and every item in it. */
export interface TableToDelete {
  readonly stack: string;
  readonly logicalId: string;
  readonly table: string;
}

export interface PlannedStack extends StageStack {
  readonly deployed: DeployedStack;
  /** Stacks of the same phase that read from this one: they are deleted first. */
  readonly after: readonly string[];
  readonly retained: readonly RetainedResource[];
  readonly buckets: readonly BucketToEmpty[];
  readonly tables: readonly TableToDelete[];
  /** False when the deployed template could not be read: what it retains is unknown. */
  readonly templateRead: boolean;
  /** Resources a failed delete left (DELETE_FAILED), with their physical ids. */
  readonly failed: readonly StackResource[];
}

interface TemplateResource {
  readonly Type?: string;
  readonly DeletionPolicy?: unknown;
}

export interface StackTemplate {
  readonly Resources?: Readonly<Record<string, TemplateResource>>;
  readonly Parameters?: Readonly<Record<string, { Type?: string; Default?: string; Description?: string }>>;
}

const RETAIN = new Set(['Retain', 'RetainExceptOnCreate']);

/** Every stack the stage can have, in deploy order of the phase map. */


/**
 * `--phase P` destroys P only while no later phase is deployed: later stacks read P's values, and
 * would be left pointing at resources that no longer exist.
 */
export function assertNoLaterPhase(
  phase: Phase,
  existing: readonly (StageStack & { readonly deployed: DeployedStack })[],
  stage: string,
): void {
  const later = existing.filter((s) => phaseIndex(s.phase) > phaseIndex(phase));
  if (later.length === 0) return;
  const latest = later.reduce((a, b) => (phaseIndex(b.phase) > phaseIndex(a.phase) ? b : a)).phase;
  throw new Spec3Error(
    'DESTROY_LATER_PHASE_DEPLOYED',
    `Phase ${phase} of stage ${stage} cannot be destroyed while a later phase still reads from it: ${later
      .map((s) => `${s.name} (${s.deployed.status})`)
      .join(', ')}. Nothing was changed.`,
    `Destroy phase ${latest} first (\`spec3 destroy ${stage} --phase ${latest}\`), or the whole stage in order with \`spec3 destroy ${stage}\`.`,
  );
}

/** Resources whose DeletionPolicy keeps them, with the physical id to find them by afterwards. */
export function retainedResources(stack: string, template: StackTemplate, resources: readonly StackResource[]): RetainedResource[] {
  const out: RetainedResource[] = [];
  for (const r of resources) {
    const policy = template.Resources?.[r.logicalId]?.DeletionPolicy;
    if (typeof policy === 'string' && RETAIN.has(policy) && r.physicalId) {
      out.push({ stack, logicalId: r.logicalId, type: r.type, physicalId: r.physicalId, policy });
    }
  }
  return out;
}

/**
 * Resources of one type CloudFormation deletes with the stack: DeletionPolicy Delete, the default
 * for buckets and tables. A policy that is not plainly Delete (e.g. a condition) counts as kept.
 */
function deletedWithStack(type: string, template: StackTemplate, resources: readonly StackResource[]): { logicalId: string; physicalId: string }[] {
  return resources
    .filter((r) => r.type === type && r.physicalId && r.status !== 'DELETE_COMPLETE')
    .filter((r) => {
      const policy = template.Resources?.[r.logicalId]?.DeletionPolicy;
      return policy === undefined || policy === 'Delete';
    })
    .map((r) => ({ logicalId: r.logicalId, physicalId: r.physicalId! }));
}

/**
 * Buckets deleted with the stack. CloudFormation can only delete empty ones, and these templates
 * carry no auto-delete custom resource, so spec3 empties them.
 */
export function bucketsToEmpty(stack: string, template: StackTemplate, resources: readonly StackResource[]): BucketToEmpty[] {
  return deletedWithStack('AWS::S3::Bucket', template, resources).map((r) => ({ stack, logicalId: r.logicalId, bucket: r.physicalId }));
}

/** Tables deleted with the stack, every item with them. */
export function tablesToDelete(stack: string, template: StackTemplate, resources: readonly StackResource[]): TableToDelete[] {
  return deletedWithStack('AWS::DynamoDB::Table', template, resources).map((r) => ({ stack, logicalId: r.logicalId, table: r.physicalId }));
}

/**
 * The stacks of the stage this one reads from. Read from the deployed template's SSM-typed
 * parameters (`/spec3/<project>/<stage>/<kind>/<key>`, see stack/wiring.ts) rather than from the
 * current config: they are what the deployed stack really uses, even if the config has changed
 * since, and they need no synth. Without a readable template the stack is assumed to read from
 * every kind listed before it in the phase map, the order the wiring allows (slower, never wrong).
 */
export function readsFrom(stack: StageStack, template: StackTemplate | undefined, scope: NameScope): string[] {
  if (!template) {
    const kinds = Object.keys(STACK_PHASES) as StackKind[];
    return kinds.slice(0, kinds.indexOf(stack.kind)).map((kind) => stackName(scope, kind));
  }
  const root = `/spec3/${scope.project}/${scope.stage}/`;
  const names = new Set<string>();
  for (const parameter of Object.values(ssmParameters(template))) {
    if (!parameter.startsWith(root)) continue;
    const kind = parameter.slice(root.length).split('/')[0] ?? '';
    if (kind in STACK_PHASES && kind !== stack.kind) names.add(stackName(scope, kind as StackKind));
  }
  return [...names];
}

/**
 * Deletion order inside each phase: a stack waits for the stacks (of its phase) that read from it,
 * the reverse of the deploy order. Stacks with no such relation are deleted in parallel. Returns
 * each stack's prerequisites, keyed in an order that deletes every stack after them.
 */
export function deletionOrder<S extends { readonly name: string; readonly phase: Phase }>(
  stacks: readonly S[],
  reads: ReadonlyMap<string, readonly string[]>,
): Map<string, string[]> {
  const after = new Map<string, string[]>(stacks.map((s) => [s.name, []]));
  const phaseOf = new Map(stacks.map((s) => [s.name, s.phase]));
  for (const consumer of stacks) {
    for (const producer of reads.get(consumer.name) ?? []) {
      if (phaseOf.get(producer) === consumer.phase) after.get(producer)!.push(consumer.name);
    }
  }
  return new Map(topological(after).map((name) => [name, after.get(name)!]));
}

function topological(after: ReadonlyMap<string, readonly string[]>): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  let pending = [...after.keys()];
  while (pending.length > 0) {
    const ready = pending.filter((n) => after.get(n)!.every((d) => done.has(d)));
    if (ready.length === 0) {
      throw new Spec3Error(
        'DESTROY_ORDER',
        `The deployed stacks ${pending.join(', ')} read from each other in a cycle; spec3 cannot choose which to delete first. Nothing was changed.`,
        'Delete one of them with `aws cloudformation delete-stack`, then run `spec3 destroy` again.',
      );
    }
    for (const n of ready) done.add(n);
    order.push(...ready);
    pending = pending.filter((n) => !done.has(n));
  }
  return order;
}
