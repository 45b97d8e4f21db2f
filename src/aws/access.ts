import { Spec3Error } from '../errors.js';
import type { AwsOptions } from './clients.js';
import { callTimeouts } from './timeouts.js';

/** The AWS flags every command that talks to AWS accepts. */
export interface AwsFlags {
  readonly profile?: string;
  /** Overrides the stage's region (rarely needed: the stage names its region). */
  readonly region?: string;
  readonly endpoint?: string;
  /** Use the emulator started by `spec3 local start`. */
  readonly local?: boolean;
  readonly maxAttempts?: number;
  /** The run's interruption (Ctrl-C): cancels the calls in flight when it comes. */
  readonly signal?: AbortSignal;
}

/** Default attempts per call; adaptive retries make throttled calls wait rather than fail. */
export const DEFAULT_MAX_ATTEMPTS = 8;

/** The emulator's dummy credentials (any key works; these are the conventional ones). */
const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

type Env = Readonly<Record<string, string | undefined>>;

/**
 * flags + environment -> how to reach AWS. Precedence: `--endpoint`, then `--local`, then
 * `AWS_ENDPOINT_URL`; with no endpoint, real AWS through the default credential chain.
 */
export async function resolveAwsOptions(flags: AwsFlags, env: Env, stageRegion: string): Promise<AwsOptions> {
  const maxAttempts = flags.maxAttempts ?? parseAttempts(env.SPEC3_MAX_ATTEMPTS) ?? DEFAULT_MAX_ATTEMPTS;
  const region = flags.region ?? stageRegion;
  let endpoint = flags.endpoint;
  if (!endpoint && flags.local) {
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
  const credentials = explicitKeys
    ? {
        accessKeyId: env.AWS_ACCESS_KEY_ID!,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
        ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      }
    : endpoint && !flags.profile
      ? LOCAL_CREDENTIALS
      : undefined;
  return {
    region,
    maxAttempts,
    timeouts: callTimeouts(env),
    ...(flags.signal ? { signal: flags.signal } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
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
