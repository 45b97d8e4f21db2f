import { DescribeStackEventsCommand, type StackEvent } from '@aws-sdk/client-cloudformation';
import { AbortError } from '../../errors.js';
import type { AwsClients } from '../clients.js';
import { isThrottling } from '../errors.js';
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
 * Polls a stack until it leaves every *_IN_PROGRESS state, streaming its new events. Throttling
 * and dropped connections only lengthen the interval: the wait resumes instead of failing.
 */
export async function waitForStack(aws: AwsClients, stackName: string, options: WaitOptions): Promise<WaitResult> {
  const seen = new Set<string>();
  const failures: string[] = [];
  let interval = options.pollMs;
  let transientErrors = 0;
  for (;;) {
    if (options.signal?.aborted) throw new AbortError();
    try {
      const events = await newEvents(aws, stackName, options.since, seen);
      for (const e of events) {
        options.onEvent?.(e);
        if (e.status.endsWith('_FAILED') && e.reason && !/cancelled/i.test(e.reason)) {
          failures.push(`${e.logicalId} (${e.type}): ${e.reason}`);
        }
      }
      const stack = await describeStack(aws, stackName);
      if (!stack || !isInProgress(stack.status)) return { stack, failures };
      transientErrors = 0;
      interval = events.length > 0 ? options.pollMs : Math.min(options.maxPollMs, Math.round(interval * 1.5));
    } catch (error) {
      // A wait must survive a dropped connection or a throttled poll; only persistent failure ends it.
      transientErrors += 1;
      if (transientErrors > 10 && !isThrottling(error)) throw error;
      interval = Math.min(options.maxPollMs * 2, interval * 2);
    }
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

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
