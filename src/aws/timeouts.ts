import { Spec3Error } from '../errors.js';

/** How long one AWS call may take; each attempt of a call is cut off by these, then retried. */
export interface CallTimeouts {
  /** Opening the connection (TCP and TLS). */
  readonly connectMs: number;
  /** One request from sending it to the last byte of the answer. */
  readonly requestMs: number;
}

/**
 * 5 s to connect is long for AWS (it answers in milliseconds) and short enough to notice a dead
 * endpoint; 60 s per request covers the slowest calls spec3 makes (large template uploads).
 */
export const DEFAULT_TIMEOUTS: CallTimeouts = { connectMs: 5_000, requestMs: 60_000 };

type Env = Readonly<Record<string, string | undefined>>;

/** SPEC3_CONNECT_TIMEOUT and SPEC3_CALL_TIMEOUT (seconds) override the defaults. */
export function callTimeouts(env: Env): CallTimeouts {
  return {
    connectMs: seconds(env, 'SPEC3_CONNECT_TIMEOUT', DEFAULT_TIMEOUTS.connectMs),
    requestMs: seconds(env, 'SPEC3_CALL_TIMEOUT', DEFAULT_TIMEOUTS.requestMs),
  };
}

function seconds(env: Env, name: string, fallbackMs: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallbackMs;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0.1 || n > 3600) {
    throw new Spec3Error(
      'BAD_TIMEOUT',
      `${name} must be a number of seconds from 0.1 to 3600, got "${raw}".`,
      `Set ${name} to e.g. ${fallbackMs / 1000}, or unset it for the default of ${fallbackMs / 1000} s.`,
    );
  }
  return Math.round(n * 1000);
}
