import {
  DeleteStackCommand,
  DescribeStackEventsCommand,
  ListStackResourcesCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import { AbortError, Spec3Error } from '../../errors.js';
import type { AwsClients } from '../clients.js';
import { describeAwsError } from '../errors.js';
import type { DeployedStack } from './stacks.js';
import { stuckError } from './stuck.js';
import { waitForStack, type ResourceEvent } from './wait.js';

export interface StackResource {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId?: string;
  readonly status: string;
}

/** Every resource of a stack with its physical id (ListStackResources, all pages). */
export async function listStackResources(aws: AwsClients, stack: string): Promise<StackResource[]> {
  const out: StackResource[] = [];
  let token: string | undefined;
  do {
    const page = await aws.cloudFormation().send(new ListStackResourcesCommand({ StackName: stack, NextToken: token }));
    for (const r of page.StackResourceSummaries ?? []) {
      out.push({
        logicalId: r.LogicalResourceId ?? '',
        type: r.ResourceType ?? '',
        ...(r.PhysicalResourceId ? { physicalId: r.PhysicalResourceId } : {}),
        status: r.ResourceStatus ?? '',
      });
    }
    token = page.NextToken;
  } while (token);
  return out;
}

export interface StackDeleteHooks {
  readonly pollMs: number;
  readonly maxPollMs: number;
  readonly signal?: AbortSignal;
  /** Lift termination protection first; without it a protected stack is refused by CloudFormation. */
  readonly liftProtection?: boolean;
  /**
   * For a DELETE_FAILED stack: logical ids of failed resources that are already gone. DeleteStack
   * retains them (RetainResources), so the stack is deleted instead of failing on them again.
   */
  readonly retainResources?: readonly string[];
  readonly onEvent?: (event: ResourceEvent) => void;
  readonly onNotice?: (message: string) => void;
  /** The spec3 command that runs this destroy again for the run's target, for the hints. */
  readonly again?: string;
}

/**
 * Deletes one stack and waits until it is gone. The stack is addressed by its id, which (unlike its
 * name) still resolves once the delete completes. DELETE_FAILED throws STACK_DELETE_FAILED with the
 * reasons from the stack's events and the recovery step.
 */
export async function deleteStack(aws: AwsClients, stack: DeployedStack, hooks: StackDeleteHooks): Promise<void> {
  const cfn = aws.cloudFormation();
  const since = await afterLastEvent(aws, stack.id);
  if (stack.status !== 'DELETE_IN_PROGRESS') {
    // After Ctrl-C no new operation starts, not even for a stack whose buckets were just emptied.
    if (hooks.signal?.aborted) throw new AbortError();
    if (stack.terminationProtection && hooks.liftProtection) {
      hooks.onNotice?.(`${stack.name}: lifting termination protection`);
      await call(stack.name, 'UpdateTerminationProtection', hooks.again, () =>
        cfn.send(new UpdateTerminationProtectionCommand({ StackName: stack.id, EnableTerminationProtection: false })),
      );
    }
    const retain = stack.status === 'DELETE_FAILED' && hooks.retainResources?.length ? { RetainResources: [...hooks.retainResources] } : {};
    await call(stack.name, 'DeleteStack', hooks.again, () => cfn.send(new DeleteStackCommand({ StackName: stack.id, ...retain })));
  }
  const result = await waitForStack(aws, stack.id, {
    since,
    pollMs: hooks.pollMs,
    maxPollMs: hooks.maxPollMs,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}),
  });
  // describeStack reports a DELETE_COMPLETE stack as gone.
  if (!result.stack) return;
  const reasons = result.failures.length > 0 ? result.failures.join('; ') : result.stack.reason;
  throw stuckError({ ...result.stack, name: stack.name, ...(reasons ? { reason: reasons } : {}) }, hooks.again);
}

/**
 * Just after the stack's newest event: the delete's events come later. Taken from CloudFormation's
 * own clock, so a skewed local clock neither hides the delete's events nor shows older ones.
 */
async function afterLastEvent(aws: AwsClients, stackId: string): Promise<Date> {
  const out = await aws.cloudFormation().send(new DescribeStackEventsCommand({ StackName: stackId }));
  const newest = out.StackEvents?.[0]?.Timestamp;
  return new Date(newest ? newest.getTime() + 1 : 0);
}

async function call<T>(stack: string, operation: string, again = 'spec3 destroy', send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw new Spec3Error(
      'STACK_DELETE_FAILED',
      `${stack}: ${operation} failed: ${describeAwsError(error)}`,
      `Nothing more was deleted. Fix the cause above, then run \`${again}\` again.`,
      { cause: error },
    );
  }
}
