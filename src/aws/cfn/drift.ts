import {
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
  ListStackResourcesCommand,
  type StackResourceDrift,
} from '@aws-sdk/client-cloudformation';
import { AbortError, Spec3Error } from '../../errors.js';
import type { AwsClients } from '../clients.js';
import { retryPolicy, sleep, withRetries, type RetryPolicy } from '../retry.js';

export type ResourceDriftStatus = 'MODIFIED' | 'DELETED' | 'NOT_CHECKED' | 'IN_SYNC';

export interface PropertyDifference {
  /** JSON pointer into the resource's properties, e.g. `/MemorySize`. */
  readonly path: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly kind: 'ADD' | 'REMOVE' | 'NOT_EQUAL';
}

export interface ResourceDrift {
  readonly logicalId: string;
  readonly physicalId?: string;
  readonly type: string;
  readonly status: ResourceDriftStatus;
  readonly differences: readonly PropertyDifference[];
}

export interface StackDriftDetection {
  readonly stack: string;
  /** CloudFormation's verdict for the stack. */
  readonly status: 'DRIFTED' | 'IN_SYNC' | 'NOT_CHECKED' | 'UNKNOWN';
  /** Set when detection failed; the resources it could check are still reported. */
  readonly failure?: string;
  /** Resources that were modified or deleted out of band. */
  readonly drifted: readonly ResourceDrift[];
  /** Resources CloudFormation could not check (types without drift support). */
  readonly notChecked: readonly ResourceDrift[];
}

export interface DriftPolling {
  readonly pollMs: number;
  readonly maxPollMs: number;
  /** Epoch ms after which the detection is given up as timed out. */
  readonly deadline: number;
  readonly signal?: AbortSignal;
}

/**
 * Runs CloudFormation drift detection on one stack and collects the resources that drifted, with
 * their property differences, and those that could not be checked. Throttled or dropped status
 * polls only lengthen the interval; running past the deadline is DRIFT_TIMEOUT, never a verdict.
 */
export async function detectStackDrift(aws: AwsClients, stackName: string, polling: DriftPolling): Promise<StackDriftDetection> {
  const cfn = aws.cloudFormation();
  const policy = retryPolicy(aws, polling.signal);
  const { StackDriftDetectionId: id } = await withRetries(policy, () => cfn.send(new DetectStackDriftCommand({ StackName: stackName })));
  let interval = polling.pollMs;
  for (;;) {
    if (polling.signal?.aborted) throw new AbortError();
    const status = await withRetries(policy, () => cfn.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: id })));
    if (status.DetectionStatus !== 'DETECTION_IN_PROGRESS') {
      const [drifted, notChecked] = await Promise.all([resourceDrifts(aws, stackName, policy), uncheckedResources(aws, stackName, policy)]);
      return {
        stack: stackName,
        status: (status.StackDriftStatus ?? 'UNKNOWN') as StackDriftDetection['status'],
        ...(status.DetectionStatus === 'DETECTION_FAILED'
          ? { failure: status.DetectionStatusReason ?? 'CloudFormation gave no reason' }
          : {}),
        drifted,
        notChecked,
      };
    }
    const left = polling.deadline - Date.now();
    if (left <= 0) {
      throw new Spec3Error(
        'DRIFT_TIMEOUT',
        `${stackName}: drift detection did not finish in time (detection ${id} is still running).`,
        'Run drift again with a longer --timeout; CloudFormation keeps detecting in the background.',
      );
    }
    await sleep(Math.min(interval, left), polling.signal);
    interval = Math.min(polling.maxPollMs, Math.round(interval * 1.5));
  }
}

/**
 * Resources the detection could not check. DescribeStackResourceDrifts leaves them out (types
 * without drift support are not checked at all); their own drift information says NOT_CHECKED.
 */
async function uncheckedResources(aws: AwsClients, stackName: string, policy: RetryPolicy): Promise<ResourceDrift[]> {
  const found: ResourceDrift[] = [];
  let token: string | undefined;
  do {
    const next = token;
    const page = await withRetries(policy, () => aws.cloudFormation().send(new ListStackResourcesCommand({ StackName: stackName, NextToken: next })));
    for (const r of page.StackResourceSummaries ?? []) {
      if (r.DriftInformation?.StackResourceDriftStatus !== 'NOT_CHECKED' || !r.LogicalResourceId) continue;
      found.push({
        logicalId: r.LogicalResourceId ?? '',
        ...(r.PhysicalResourceId ? { physicalId: r.PhysicalResourceId } : {}),
        type: r.ResourceType ?? '',
        status: 'NOT_CHECKED',
        differences: [],
      });
    }
    token = page.NextToken;
  } while (token);
  return found;
}

/** Every resource the latest detection found modified or deleted, all pages. */
async function resourceDrifts(aws: AwsClients, stackName: string, policy: RetryPolicy): Promise<ResourceDrift[]> {
  const found: StackResourceDrift[] = [];
  let token: string | undefined;
  do {
    const next = token;
    const page = await withRetries(policy, () =>
      aws.cloudFormation().send(
        new DescribeStackResourceDriftsCommand({
          StackName: stackName,
          StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'],
          NextToken: next,
        }),
      ),
    );
    found.push(...(page.StackResourceDrifts ?? []));
    token = page.NextToken;
  } while (token);
  return found.map((d) => ({
    logicalId: d.LogicalResourceId ?? '',
    ...(d.PhysicalResourceId ? { physicalId: d.PhysicalResourceId } : {}),
    type: d.ResourceType ?? '',
    status: (d.StackResourceDriftStatus ?? 'NOT_CHECKED') as ResourceDriftStatus,
    differences: (d.PropertyDifferences ?? []).map((p) => ({
      path: p.PropertyPath ?? '',
      ...(p.ExpectedValue !== undefined ? { expected: p.ExpectedValue } : {}),
      ...(p.ActualValue !== undefined ? { actual: p.ActualValue } : {}),
      kind: (p.DifferenceType ?? 'NOT_EQUAL') as PropertyDifference['kind'],
    })),
  }));
}
