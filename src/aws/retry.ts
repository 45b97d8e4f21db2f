import { AbortError } from '../errors.js';
import type { AwsClients } from './clients.js';
import { isTransient } from './errors.js';

/**
 * The one retry policy of spec3's polls and stack operations, on top of the SDK's own retries of
 * each call: a call that still fails for a transient reason (throttling, a 5xx, a timeout, a
 * dropped or refused connection) is made again after a pause of 1, 2, 4 ... up to 30 s, as many
 * times as --max-attempts allows. At the default of 8 a wait rides out an outage of the endpoint
 * of about a minute and a half; a call that fails for any other reason fails at once.
 */
export interface RetryPolicy {
  /** Calls in all, the first included (--max-attempts). */
  readonly attempts: number;
  /** Aborted on Ctrl-C: no call is made again, and a pause ends at once. */
  readonly signal?: AbortSignal;
  /** Pause after the first failure; doubles each time up to `maxDelayMs`. */
  readonly firstDelayMs?: number;
  readonly maxDelayMs?: number;
}

export const RETRY_FIRST_DELAY_MS = 1_000;
export const RETRY_MAX_DELAY_MS = 30_000;

/** The policy of calls made with `aws`: as many attempts as its clients make per call. */
export function retryPolicy(aws: Pick<AwsClients, 'options'>, signal?: AbortSignal): RetryPolicy {
  return { attempts: aws.options.maxAttempts, ...(signal ? { signal } : {}) };
}

export async function withRetries<T>(policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  let delay = policy.firstDelayMs ?? RETRY_FIRST_DELAY_MS;
  for (let attempt = 1; ; attempt += 1) {
    if (policy.signal?.aborted) throw new AbortError('Interrupted.');
    try {
      return await call();
    } catch (error) {
      if (error instanceof AbortError) throw error;
      if (policy.signal?.aborted) throw new AbortError('Interrupted.');
      if (attempt >= policy.attempts || !isTransient(error)) throw error;
    }
    await sleep(delay, policy.signal);
    delay = Math.min(policy.maxDelayMs ?? RETRY_MAX_DELAY_MS, delay * 2);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
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
