import { beforeEach, inject } from 'vitest';
import { resetLocalAws } from '../../src/aws/local/launcher.js';

/** The run's local AWS, started once by test/global-setup.ts. */
export interface LocalAwsHandle {
  /** `http://localhost:PORT`. */
  endpoint(): string;
  /** Forgets every resource of every service. */
  reset(): Promise<void>;
}

/**
 * Gives a test file the run's local AWS and, unless told otherwise, a clean one for every test.
 * Files that use it belong to a project that runs one file at a time (see vitest.config.ts).
 */
export function useLocalAws(options: { resetBeforeEach?: boolean } = {}): LocalAwsHandle {
  const handle: LocalAwsHandle = {
    endpoint: () => inject('localAwsEndpoint'),
    reset: () => resetLocalAws(inject('localAwsEndpoint')),
  };
  if (options.resetBeforeEach ?? true) beforeEach(() => handle.reset());
  return handle;
}

/**
 * Environment for running the spec3 binary with `--local` against the run's local AWS: the
 * `SPEC3_HOME` that records it, and no AWS keys or endpoint, so spec3 itself must supply both.
 */
export function localEnv(): Record<string, string> {
  return {
    SPEC3_HOME: inject('localAwsHome'),
    AWS_ENDPOINT_URL: '',
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_PROFILE: '',
    SPEC3_MAX_ATTEMPTS: '1',
  };
}

/**
 * Environment for running the spec3 binary (or any AWS tool) against the local AWS as any other
 * endpoint: the endpoint and keys a user would give for LocalStack. spec3 treats it as AWS (its
 * polling pace, no stand-ins notice); pass `--local` with `localEnv()` for the local AWS's own.
 */
export function awsEnv(endpoint: string = inject('localAwsEndpoint')): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    // A call the emulator does not implement answers HTML; retrying it only slows the failure down.
    SPEC3_MAX_ATTEMPTS: '1',
  };
}

/** SDK v3 client settings for the local AWS: dummy keys, one attempt, path-style S3 URLs. */
export function clientConfig(endpoint: string) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    forcePathStyle: true,
    maxAttempts: 1,
  };
}
