import { Spec3Error } from '../errors.js';
import type { AwsOptions } from './clients.js';
import { callTimeouts } from './timeouts.js';

/** The AWS flags every command that talks to AWS accepts. */
export interface AwsFlags {
  readonly profile?: string;
  /** Another endpoint than AWS's own (LocalStack, a proxy); `AWS_ENDPOINT_URL` does the same. */
  readonly endpoint?: string;
  /**
   * The target is the spec3 local AWS: the one `spec3 local start` recorded, or the one at
   * `endpoint` when that is given too.
   */
  readonly local?: boolean;
  readonly maxAttempts?: number;
  /** The run's interruption (Ctrl-C): cancels the calls in flight when it comes. */
  readonly signal?: AbortSignal;
}

/**
 * How a run reaches AWS. `local` is true only for the spec3 local AWS (`--local`): only there do
 * dummy credentials, fast polling and the notice of stand-in resource types apply. Any other
 * endpoint (`--endpoint`, `AWS_ENDPOINT_URL`) is treated as AWS: the normal credential chain and
 * AWS's polling pace.
 */
export interface AwsAccess {
  readonly options: AwsOptions;
  readonly local: boolean;
}

/** Default attempts per call; adaptive retries make throttled calls wait rather than fail. */
export const DEFAULT_MAX_ATTEMPTS = 8;

/** The emulator's dummy credentials (any key works; these are the conventional ones). */
const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

type Env = Readonly<Record<string, string | undefined>>;

/**
 * flags + environment -> how to reach AWS. The endpoint: `--endpoint`, else with `--local` the
 * one `spec3 local start` recorded, else `AWS_ENDPOINT_URL`; with none, AWS itself. The region is
 * always the stage's: it is a property of the stage, which synthesis, the lock and the
 * `.spec3/<stage>/` files all depend on.
 */
export async function resolveAwsAccess(flags: AwsFlags, env: Env, region: string): Promise<AwsAccess> {
  const maxAttempts = flags.maxAttempts ?? parseAttempts(env.SPEC3_MAX_ATTEMPTS) ?? DEFAULT_MAX_ATTEMPTS;
  const local = Boolean(flags.local);
  let endpoint = flags.endpoint;
  if (!endpoint && local) {
    const { readLocalState } = await import('./local/launcher.js');
    const state = await readLocalState(env);
    if (!state) {
      throw new Spec3Error(
        'LOCAL_AWS_NOT_RUNNING',
        'No local AWS is running (--local).',
        'Start it with `spec3 local start`, or pass --endpoint URL for another emulator.',
      );
    }
    endpoint = state.endpoint;
  }
  endpoint ??= env.AWS_ENDPOINT_URL || undefined;
  if (endpoint) checkEndpoint(endpoint);
  const explicitKeys = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY && !flags.profile;
  // An endpoint that is not the local AWS gets no dummy keys: without keys of its own it uses the
  // normal chain (profile, SSO, instance role), as the AWS CLI does with --endpoint-url.
  const credentials = explicitKeys
    ? {
        accessKeyId: env.AWS_ACCESS_KEY_ID!,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
        ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      }
    : local && !flags.profile
      ? LOCAL_CREDENTIALS
      : undefined;
  return {
    local,
    options: {
      region,
      maxAttempts,
      timeouts: callTimeouts(env),
      ...(flags.signal ? { signal: flags.signal } : {}),
      ...(flags.profile ? { profile: flags.profile } : {}),
      ...(endpoint ? { endpoint } : {}),
      ...(credentials ? { credentials } : {}),
    },
  };
}

function parseAttempts(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  return checkAttempts(value, 'SPEC3_MAX_ATTEMPTS', 'Set SPEC3_MAX_ATTEMPTS to a whole number from 1 to 20, or unset it for the default of 8.');
}

/** Parses `--max-attempts`. */
export function parseMaxAttempts(value: string): number {
  return checkAttempts(value, '--max-attempts');
}

function checkAttempts(value: string, source: string, hint?: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 20) {
    throw new Spec3Error(
      'BAD_MAX_ATTEMPTS',
      `${source} must be an integer from 1 to 20, got "${value}".`,
      hint,
    );
  }
  return n;
}

function checkEndpoint(endpoint: string): void {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol)) {
    throw new Spec3Error(
      'BAD_ENDPOINT',
      `Endpoint "${endpoint}" is not an http(s) URL.`,
      'Pass e.g. --endpoint http://localhost:4566.',
    );
  }
}

/** A command's AWS flags with the run's interruption, so that Ctrl-C reaches the calls in flight. */
export function withSignal(flags: AwsFlags | undefined, signal: AbortSignal | undefined): AwsFlags {
  return { ...flags, ...(signal ? { signal } : {}) };
}
