import {
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  type Change,
  type ResourceChangeDetail,
} from '@aws-sdk/client-cloudformation';
import { AbortError, Spec3Error } from '../../errors.js';
import type { AwsClients } from '../clients.js';
import { describeAwsError } from '../errors.js';
import { retryPolicy, sleep, withRetries, type RetryPolicy } from '../retry.js';
import { changeSetRequest, deleteChangeSet, NO_CHANGES, resourceChanges } from './change-set.js';

/** One resource change as CloudFormation plans it. */
export interface PlannedChange {
  /** Add, Modify, Remove, Import, Dynamic. */
  readonly action: string;
  readonly logicalId: string;
  readonly physicalId?: string;
  readonly type: string;
  /** For a modification: 'True' | 'False' | 'Conditional'. */
  readonly replacement?: string;
  /** What changes: Properties, Metadata, CreationPolicy, UpdatePolicy, DeletionPolicy, UpdateReplacePolicy, Tags. */
  readonly scope: readonly string[];
  /** One line per detail, e.g. `Properties.MemorySize: DirectModification, Static, recreation Never`. */
  readonly details: readonly string[];
}

export interface PreviewInput {
  readonly stackName: string;
  readonly templateBody?: string;
  readonly templateUrl?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The CloudFormation execution role a deploy would use. */
  readonly roleArn?: string;
}

/** The change set's name prefix: recognisable if one is ever left behind. */
export const PREVIEW_PREFIX = 'spec3-diff-';

/**
 * CloudFormation's own plan for updating a deployed stack: creates a change set, lists its resource
 * changes, and deletes it again whatever happens (also when computing it fails or `signal`
 * aborts), so the stack is left as it was. A change set CloudFormation rejects throws
 * CHANGE_SET_FAILED; one that changes nothing answers an empty list.
 */
export async function previewChangeSet(
  aws: AwsClients,
  input: PreviewInput,
  poll: { pollMs: number; maxPollMs: number; signal?: AbortSignal },
): Promise<PlannedChange[]> {
  if (poll.signal?.aborted) throw interrupted();
  const policy = retryPolicy(aws, poll.signal);
  const id = await create(aws, input, policy);
  let outcome: { changes: PlannedChange[] } | { error: Spec3Error };
  try {
    outcome = { changes: await readWhenReady(aws, id, input.stackName, poll, policy) };
  } catch (error) {
    const failure = `${input.stackName}: reading the change set failed: ${describeAwsError(error)}`;
    outcome = {
      error:
        error instanceof AbortError
          ? interrupted()
          : error instanceof Spec3Error && error.code === 'CHANGE_SET_FAILED'
            ? error
            : new Spec3Error(error instanceof Spec3Error ? error.code : 'CHANGE_SET_FAILED', failure, error instanceof Spec3Error ? error.hint : undefined, { cause: error }),
    };
  }
  try {
    // Fresh attempts without the run's signal: the preview is removed after Ctrl-C too.
    await deleteChangeSet(aws, id, input.stackName);
  } catch (error) {
    const leftOver = new Spec3Error(
      'CHANGE_SET_NOT_DELETED',
      `${input.stackName}: the preview change set could not be deleted: ${describeAwsError(error)}`,
      `Delete it by hand: aws cloudformation delete-change-set --stack-name ${input.stackName} --change-set-name ${id}`,
      { cause: error },
    );
    // The first failure is the one to report; the left-over change set is named beside it.
    if ('error' in outcome) {
      const first = outcome.error;
      throw new Spec3Error(first.code, `${first.message}\n${leftOver.message}`, leftOver.hint, { cause: first });
    }
    throw leftOver;
  }
  if ('error' in outcome) throw outcome.error;
  return outcome.changes;
}

async function create(aws: AwsClients, input: PreviewInput, policy: RetryPolicy): Promise<string> {
  try {
    const name = `${PREVIEW_PREFIX}${Date.now()}`;
    const request = changeSetRequest({ ...input, create: false }, name, 'spec3 diff: a preview, deleted after reading');
    // The client token makes a create repeated after a lost answer return the same change set.
    return (await withRetries(policy, () => aws.cloudFormation().send(new CreateChangeSetCommand({ ...request, ClientToken: name })))).Id!;
  } catch (error) {
    if (error instanceof AbortError) throw interrupted();
    throw new Spec3Error(
      error instanceof Spec3Error && 'kind' in error && error.kind !== 'failed' ? error.code : 'CHANGE_SET_FAILED',
      `${input.stackName}: CloudFormation refused to create a change set: ${describeAwsError(error)}`,
      'A deploy of this stack would be refused the same way; fix the cause above.',
      { cause: error },
    );
  }
}

async function readWhenReady(
  aws: AwsClients,
  id: string,
  stackName: string,
  poll: { pollMs: number; maxPollMs: number; signal?: AbortSignal },
  policy: RetryPolicy,
): Promise<PlannedChange[]> {
  const cfn = aws.cloudFormation();
  let interval = poll.pollMs;
  for (;;) {
    if (poll.signal?.aborted) throw interrupted();
    const page = await withRetries(policy, () => cfn.send(new DescribeChangeSetCommand({ ChangeSetName: id, StackName: stackName })));
    if (page.Status === 'CREATE_COMPLETE') return (await resourceChanges(aws, id, stackName, page, policy)).map(planned);
    if (page.Status === 'FAILED') {
      const reason = page.StatusReason ?? 'no reason given';
      if (NO_CHANGES.test(reason)) return [];
      throw new Spec3Error(
        'CHANGE_SET_FAILED',
        `${stackName}: CloudFormation could not compute a change set: ${reason}`,
        'A deploy of this stack would fail the same way; fix the cause above.',
      );
    }
    await sleep(interval, poll.signal);
    interval = Math.min(poll.maxPollMs, Math.round(interval * 1.5));
  }
}

const interrupted = () => new AbortError('Interrupted; the preview change sets were deleted and nothing was changed.');

function planned(c: NonNullable<Change['ResourceChange']>): PlannedChange {
  return {
    action: c.Action ?? 'Unknown',
    logicalId: c.LogicalResourceId ?? '',
    ...(c.PhysicalResourceId ? { physicalId: c.PhysicalResourceId } : {}),
    type: c.ResourceType ?? '',
    ...(c.Replacement ? { replacement: c.Replacement } : {}),
    scope: c.Scope ?? [],
    details: (c.Details ?? []).map(detail),
  };
}

/** `Properties.MemorySize: DirectModification, Static, recreation Never`. */
function detail(d: ResourceChangeDetail): string {
  const target = d.Target ? [d.Target.Attribute, d.Target.Name].filter(Boolean).join('.') : 'resource';
  const how = [
    d.ChangeSource ? `${d.ChangeSource}${d.CausingEntity ? ` (${d.CausingEntity})` : ''}` : undefined,
    d.Evaluation,
    d.Target?.RequiresRecreation ? `recreation ${d.Target.RequiresRecreation}` : undefined,
  ].filter(Boolean);
  return `${target}${how.length > 0 ? `: ${how.join(', ')}` : ''}`;
}
