import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  type Change,
  type CreateChangeSetCommandInput,
  type DescribeChangeSetCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { AbortError } from '../../errors.js';
import type { AwsClients } from '../clients.js';
import { awsErrorName } from '../errors.js';
import { retryPolicy, sleep, withRetries, type RetryPolicy } from '../retry.js';

export interface ResourceChange {
  readonly action: string;
  readonly logicalId: string;
  readonly type: string;
  /** 'True' | 'False' | 'Conditional' for modifications. */
  readonly replacement?: string;
}

export interface ChangeSetInput {
  readonly stackName: string;
  readonly create: boolean;
  readonly templateBody?: string;
  readonly templateUrl?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly roleArn?: string;
  /** Explicit parameters; template defaults apply to the rest. */
  readonly parameters?: readonly StackParameter[];
}

export interface StackParameter {
  readonly key: string;
  /** The value, or undefined to keep the value the stack has now. */
  readonly value?: string;
}

export type ChangeSetResult =
  | { readonly kind: 'ready'; readonly id: string; readonly createdAt: Date; readonly changes: readonly ResourceChange[] }
  | { readonly kind: 'empty' }
  | { readonly kind: 'failed'; readonly reason: string };

/** CloudFormation's reasons for a change set that changes nothing. */
export const NO_CHANGES = /didn't contain changes|No updates are to be performed|submitted information didn't contain/i;

/** What happens to a change set of a deploy: created, executed, or deleted without running. */
export type ChangeSetStep = 'created' | 'executed' | 'deleted';

/**
 * Creates a change set and waits until CloudFormation has computed it. Every call rides out
 * transient failures under the one retry policy; when the wait fails for good or is interrupted,
 * the change set is deleted, so that none is left AVAILABLE to confuse the next run.
 */
export async function createChangeSet(
  aws: AwsClients,
  input: ChangeSetInput,
  poll: { pollMs: number; maxPollMs: number; signal?: AbortSignal; onChangeSet?: (id: string, step: ChangeSetStep) => void },
): Promise<ChangeSetResult> {
  const policy = retryPolicy(aws, poll.signal);
  const name = `spec3-${Date.now()}`;
  // The client token (and the AlreadyExists answer of an endpoint without tokens) make a repeated create safe.
  const id = await withRetries(policy, () => create(aws, input, name));
  poll.onChangeSet?.(id, 'created');
  // A fresh call without the run's signal, so that it is made after Ctrl-C too.
  const remove = () => deleteChangeSet(aws, id, input.stackName).then(() => poll.onChangeSet?.(id, 'deleted'), () => undefined);
  try {
    return await whenComputed(aws, id, input.stackName, policy, poll, remove);
  } catch (error) {
    // Interrupted before anything ran, or the wait failed: the change set would only be left behind.
    await remove();
    throw error;
  }
}

async function whenComputed(
  aws: AwsClients,
  id: string,
  stackName: string,
  policy: RetryPolicy,
  poll: { pollMs: number; maxPollMs: number; signal?: AbortSignal },
  remove: () => Promise<void>,
): Promise<ChangeSetResult> {
  const cfn = aws.cloudFormation();
  let interval = poll.pollMs;
  for (;;) {
    const first = await withRetries(policy, () => cfn.send(new DescribeChangeSetCommand({ ChangeSetName: id, StackName: stackName })));
    if (first.Status === 'CREATE_COMPLETE') {
      return { kind: 'ready', id, createdAt: first.CreationTime ?? new Date(), changes: await allChanges(aws, id, stackName, first, policy) };
    }
    if (first.Status === 'FAILED') {
      const reason = first.StatusReason ?? 'unknown reason';
      // An empty change set is "no changes", not a failure; remove it so it does not pile up.
      await remove();
      return NO_CHANGES.test(reason) ? { kind: 'empty' } : { kind: 'failed', reason };
    }
    await sleep(interval, poll.signal);
    if (poll.signal?.aborted) throw new AbortError();
    interval = Math.min(poll.maxPollMs, Math.round(interval * 1.5));
  }
}

/** Deletes a change set that will not run; with fresh attempts under the policy, after Ctrl-C too. */
export async function deleteChangeSet(aws: AwsClients, id: string, stackName: string): Promise<void> {
  await withRetries(retryPolicy(aws), () => aws.cloudFormation().send(new DeleteChangeSetCommand({ ChangeSetName: id, StackName: stackName })));
}

/** The CreateChangeSet request a deploy sends; a preview sends the same, so its plan is the deploy's plan. */
export function changeSetRequest(input: ChangeSetInput, name: string, description: string): CreateChangeSetCommandInput {
  return {
    StackName: input.stackName,
    ChangeSetName: name,
    ChangeSetType: input.create ? 'CREATE' : 'UPDATE',
    ...(input.templateUrl ? { TemplateURL: input.templateUrl } : { TemplateBody: input.templateBody }),
    Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
    Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })),
    ...(input.roleArn ? { RoleARN: input.roleArn } : {}),
    ...(input.parameters
      ? {
          Parameters: input.parameters.map((p) =>
            p.value === undefined ? { ParameterKey: p.key, UsePreviousValue: true } : { ParameterKey: p.key, ParameterValue: p.value },
          ),
        }
      : {}),
    Description: description,
  };
}

/**
 * Sends CreateChangeSet. The client token makes the SDK's own retry of a call whose answer was lost
 * return the same change set on AWS; an endpoint that ignores tokens answers AlreadyExists
 * instead, and then the change set of that name is the one this call made.
 */
async function create(aws: AwsClients, input: ChangeSetInput, name: string): Promise<string> {
  const cfn = aws.cloudFormation();
  try {
    const created = await cfn.send(new CreateChangeSetCommand({ ...changeSetRequest(input, name, 'spec3 deploy'), ClientToken: name }));
    return created.Id!;
  } catch (error) {
    if (awsErrorName(error) !== 'AlreadyExistsException') throw error;
    const existing = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: name, StackName: input.stackName }));
    return existing.ChangeSetId!;
  }
}

/** Every resource change of a computed change set: `first` is its first DescribeChangeSet page, the rest are read. */
export async function resourceChanges(
  aws: AwsClients,
  id: string,
  stackName: string,
  first: DescribeChangeSetCommandOutput,
  policy: RetryPolicy = retryPolicy(aws),
): Promise<NonNullable<Change['ResourceChange']>[]> {
  const changes: Change[] = [...(first.Changes ?? [])];
  let token = first.NextToken;
  while (token) {
    const next = token;
    const page = await withRetries(policy, () =>
      aws.cloudFormation().send(new DescribeChangeSetCommand({ ChangeSetName: id, StackName: stackName, NextToken: next })),
    );
    changes.push(...(page.Changes ?? []));
    token = page.NextToken;
  }
  return changes.map((c) => c.ResourceChange).filter((c): c is NonNullable<typeof c> => Boolean(c));
}

async function allChanges(
  aws: AwsClients,
  id: string,
  stackName: string,
  first: DescribeChangeSetCommandOutput,
  policy: RetryPolicy,
): Promise<ResourceChange[]> {
  return (await resourceChanges(aws, id, stackName, first, policy)).map((c) => ({
    action: c.Action ?? 'Unknown',
    logicalId: c.LogicalResourceId ?? '',
    type: c.ResourceType ?? '',
    ...(c.Replacement ? { replacement: c.Replacement } : {}),
  }));
}

/** "3 to add, 1 to modify (1 replaced), 0 to remove". */
export function summarizeChanges(changes: readonly ResourceChange[]): string {
  const count = (action: string) => changes.filter((c) => c.action === action).length;
  const replaced = changes.filter((c) => c.action === 'Modify' && c.replacement === 'True').length;
  return `${count('Add')} to add, ${count('Modify')} to modify${replaced ? ` (${replaced} replaced)` : ''}, ${count('Remove')} to remove`;
}
