import type { AssemblyStack } from '../../aws/assembly.js';
import type { AwsClients } from '../../aws/clients.js';
import { previewChangeSet, type PlannedChange } from '../../aws/cfn/change-set-preview.js';
import { MAX_INLINE_TEMPLATE, templateUrl } from '../../aws/cfn/template.js';
import { deployRole } from '../../aws/roles.js';
import type { Context } from '../../context.js';
import { AbortError, Spec3Error } from '../../errors.js';

/** What a change set needs of one compared stack. */
export interface ChangeSetTarget {
  readonly stack: AssemblyStack;
  readonly template: object;
  readonly status: 'new' | 'changed' | 'unchanged';
  /** CloudFormation's status of the stack, when there is one. */
  readonly stackStatus?: string;
}

export type ChangeSetPlan = { readonly changes: readonly PlannedChange[] } | { readonly skipped: string };

/** Why a stack a deploy creates gets no change set. */
export function newStackSkipped(stackStatus: string | undefined): string {
  return stackStatus
    ? `the stack is ${stackStatus} after a failed create and a deploy replaces it, so there is no update to plan; every resource is new`
    : 'not deployed: no change set, since creating one would create the stack (in REVIEW_IN_PROGRESS); every resource is new';
}

/**
 * CloudFormation's plan for each changed, deployed stack, through the bootstrap deploy role (the
 * lookup role may not create change sets). Every change set is deleted once read; all of them
 * settle before a failure is reported, so none is left behind by another's failure.
 */
export async function planChangeSets(
  aws: AwsClients,
  stacks: readonly ChangeSetTarget[],
  poll: { pollMs: number; maxPollMs: number; signal?: AbortSignal },
  ctx: Pick<Context, 'io'>,
): Promise<Map<string, ChangeSetPlan>> {
  const plans = new Map<string, ChangeSetPlan>();
  for (const s of stacks) if (s.status === 'new') plans.set(s.stack.name, { skipped: newStackSkipped(s.stackStatus) });
  const changed = stacks.filter((s) => s.status === 'changed');
  if (changed.length === 0) return plans;

  const role = await deployRole(aws, changed[0]!.stack);
  if (role.unavailable) ctx.io.emit({ code: 'DEPLOY_ROLE_UNAVAILABLE', level: 'warn', message: role.unavailable });
  const settled = await Promise.allSettled(
    changed.map(async ({ stack, template }) => {
      ctx.io.emit({ code: 'CHANGE_SET_START', level: 'info', message: `${stack.name}: asking CloudFormation for a change set`, data: { stack: stack.name } });
      const source = await templateSource(role.clients, stack, template, ctx);
      const changes = await previewChangeSet(
        role.clients,
        { stackName: stack.name, ...source, tags: stack.tags, ...(stack.executionRoleArn ? { roleArn: stack.executionRoleArn } : {}) },
        poll,
      );
      plans.set(stack.name, { changes });
      ctx.io.emit({
        code: 'CHANGE_SET_DONE',
        level: 'info',
        message: `${stack.name}: CloudFormation plans ${changes.length} resource change(s); change set deleted`,
        data: { stack: stack.name, changes: changes.length },
      });
    }),
  );
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  if (failures.length === 0) return plans;
  if (failures.some((f) => f instanceof AbortError)) throw failures.find((f) => f instanceof AbortError);
  const errors = failures.map((f) =>
    f instanceof Spec3Error ? f : new Spec3Error('CHANGE_SET_FAILED', String((f as Error)?.message ?? f), undefined, { cause: f }),
  );
  throw new Spec3Error(errors[0]!.code, errors.map((e) => e.message).join('\n'), errors[0]!.hint, { cause: errors[0] });
}

/** Inline when small enough; otherwise this stack's template only is published, and its URL used. */
async function templateSource(
  aws: AwsClients,
  stack: AssemblyStack,
  template: object,
  ctx: Pick<Context, 'io'>,
): Promise<{ templateBody: string } | { templateUrl: string }> {
  const body = JSON.stringify(template);
  if (Buffer.byteLength(body) <= MAX_INLINE_TEMPLATE || !stack.templateObjectUrl) return { templateBody: body };
  const { publishAssets } = await import('../../aws/assets.js');
  await publishAssets(
    aws,
    stack.assetManifests.map((manifestFile) => ({ manifestFile, onlyFiles: [stack.templateFile] })),
    (message) => ctx.io.emit({ code: 'ASSET_PROGRESS', level: 'debug', message, data: { stack: stack.name } }),
  );
  return { templateUrl: templateUrl(stack.templateObjectUrl, stack.region) };
}
