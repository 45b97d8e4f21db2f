import { DescribeStackEventsCommand, type StackEvent } from '@aws-sdk/client-cloudformation';
import { AbortError } from '../../errors.js';
import type { AwsClients } from '../clients.js';
import { retryPolicy, sleep, withRetries } from '../retry.js';
import { describeStack, isInProgress, type DeployedStack } from './stacks.js';

export interface ResourceEvent {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly time: Date;
}

export interface WaitOptions {
  /** Only events at or after this time belong to the operation being watched. */
  readonly since: Date;
  /** First poll interval; grows to `maxPollMs` while nothing changes. */
  readonly pollMs: number;
  readonly maxPollMs: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: ResourceEvent) => void;
}

export interface WaitResult {
  readonly stack: DeployedStack | undefined;
  /** Reasons of the resources that failed, oldest first (the first is usually the cause). */
  readonly failures: readonly string[];
}

/**
 * Polls a stack until it leaves every *_IN_PROGRESS state, streaming its new events. A poll that
 * fails for a transient reason (throttling, an outage, a timeout) is made again under the one
 * retry policy (retry.ts): the wait resumes instead of failing.
 */
export async function waitForStack(aws: AwsClients, stackName: string, options: WaitOptions): Promise<WaitResult> {
  const seen = new Set<string>();
  const failures: string[] = [];
  const policy = retryPolicy(aws, options.signal);
  let interval = options.pollMs;
  for (;;) {
    if (options.signal?.aborted) throw new AbortError();
    const events = await withRetries(policy, () => newEvents(aws, stackName, options.since, seen));
    for (const e of events) {
      options.onEvent?.(e);
      if (e.status.endsWith('_FAILED') && e.reason && !/cancelled/i.test(e.reason)) {
        failures.push(`${e.logicalId} (${e.type}): ${e.reason}`);
      }
    }
    const stack = await withRetries(policy, () => describeStack(aws, stackName));
    if (!stack || !isInProgress(stack.status)) return { stack, failures };
    interval = events.length > 0 ? options.pollMs : Math.min(options.maxPollMs, Math.round(interval * 1.5));
    await sleep(interval, options.signal);
  }
}

async function newEvents(aws: AwsClients, stackName: string, since: Date, seen: Set<string>): Promise<ResourceEvent[]> {
  const fresh: StackEvent[] = [];
  let token: string | undefined;
  // Events come newest first; stop paging at the first one already seen or older than the operation.
  page: do {
    const out = await aws.cloudFormation().send(new DescribeStackEventsCommand({ StackName: stackName, NextToken: token }));
    for (const e of out.StackEvents ?? []) {
      if (!e.EventId || seen.has(e.EventId) || (e.Timestamp && e.Timestamp < since)) break page;
      fresh.push(e);
    }
    token = out.NextToken;
  } while (token);
  for (const e of fresh) seen.add(e.EventId!);
  return fresh.reverse().map((e) => ({
    stack: stackName,
    logicalId: e.LogicalResourceId ?? '',
    type: e.ResourceType ?? '',
    status: e.ResourceStatus ?? '',
    ...(e.ResourceStatusReason ? { reason: e.ResourceStatusReason } : {}),
    time: e.Timestamp ?? new Date(),
  }));
}

export { sleep } from '../retry.js';
