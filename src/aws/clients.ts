import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, NodeHttpHandlerOptions } from '@smithy/types';
import { toAwsCallError } from './errors.js';
import { DEFAULT_TIMEOUTS, type CallTimeouts } from './timeouts.js';

/** How spec3 reaches AWS (or a local emulator); resolved once per command from flags and env. */
export interface AwsOptions {
  readonly region: string;
  readonly profile?: string;
  /** Endpoint of an emulator (moto, LocalStack); every client uses it, S3 with path-style URLs. */
  readonly endpoint?: string;
  /** Attempts per call under the adaptive retry strategy (throttling backs off and slows the client). */
  readonly maxAttempts: number;
  /** Explicit credentials, e.g. the emulator's dummy keys; otherwise the default provider chain. */
  readonly credentials?: AwsCredentialIdentity;
  /** Per attempt of a call: connecting, and the whole request (default 5 s and 60 s). */
  readonly timeouts?: CallTimeouts;
  /**
   * Aborted on Ctrl-C: calls in flight at that moment are cancelled. Calls started afterwards (the
   * clean-up of an interrupted run: deleting change sets, releasing the lock) are not.
   */
  readonly signal?: AbortSignal;
}

type ClientConfig = {
  region: string;
  endpoint?: string;
  maxAttempts: number;
  retryMode: 'adaptive';
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  requestHandler: NodeHttpHandlerOptions;
};

/**
 * The one client factory. Clients are created on first use and shared, so a deploy of many stacks
 * shares one connection pool and one adaptive rate limiter per service.
 */
export class AwsClients {
  private readonly cache = new Map<string, unknown>();
  private readonly config: ClientConfig;

  constructor(
    readonly options: AwsOptions,
    credentials?: AwsCredentialIdentityProvider,
    /** The role these clients act as, when they were made by `withRole`. */
    readonly roleArn?: string,
  ) {
    this.config = {
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      maxAttempts: options.maxAttempts,
      retryMode: 'adaptive',
      credentials: credentials ?? options.credentials ?? fromNodeProviderChain({ profile: options.profile }),
      requestHandler: requestHandler(options.timeouts ?? DEFAULT_TIMEOUTS),
    };
  }

  get region(): string {
    return this.options.region;
  }

  cloudFormation(): CloudFormationClient {
    return this.client('cfn', () => this.guarded('CloudFormation', new CloudFormationClient(this.config)));
  }

  ssm(): SSMClient {
    return this.client('ssm', () => this.guarded('SSM', new SSMClient(this.config)));
  }

  sts(): STSClient {
    return this.client('sts', () => this.guarded('STS', new STSClient(this.config)));
  }

  /** Loaded on first use: only asset publishing and bucket emptying need S3, and its client is large. */
  s3(): Promise<S3Client> {
    return this.client('s3', async () => {
      const { S3Client } = await import('@aws-sdk/client-s3');
      // Emulators serve buckets under the path, not as virtual hosts (`bucket.localhost` does not resolve).
      return this.guarded('S3', new S3Client({ ...this.config, forcePathStyle: Boolean(this.options.endpoint) }));
    });
  }

  /** Loaded on first use: only destroy's checks of the tables it deletes need DynamoDB. */
  dynamoDb(): Promise<DynamoDBClient> {
    return this.client('dynamodb', async () => {
      const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
      return this.guarded('DynamoDB', new DynamoDBClient(this.config));
    });
  }

  /**
   * The settings every client of spec3 gets, for clients made elsewhere (cdk-assets' ECR client):
   * region, endpoint, retries and timeouts. Pass the client to `guarded` too.
   */
  clientConfig(): Omit<ClientConfig, 'credentials'> {
    const { credentials: _, ...rest } = this.config;
    return rest;
  }

  /**
   * Puts `client` behind the AWS error boundary and the run's interruption: every `send` gets the
   * run's abort signal (when it is not aborted yet), and every error it throws leaves as a named
   * Spec3Error (see errors.ts), whichever code called it. Done on `send` itself, the one door of an
   * SDK client, so that no call site can forget it.
   */
  guarded<C extends { send: (...args: never[]) => Promise<unknown> }>(service: string, client: C): C {
    const { signal, endpoint, region, profile } = this.options;
    const site = { service, region, ...(endpoint ? { endpoint } : {}), ...(profile ? { profile } : {}) };
    type Send = (command: { constructor: { name: string } }, options?: unknown, cb?: unknown) => Promise<unknown>;
    // Looked up on each call, not bound once: test fakes (aws-sdk-client-mock) replace the prototype's send.
    const send = (): Send => (Object.getPrototypeOf(client) as { send: Send }).send;
    const guardedSend: Send = (command, options, cb) => {
      if (typeof options === 'function' || cb !== undefined) return send().call(client, command, options, cb);
      const withSignal =
        signal && !signal.aborted && !(options as { abortSignal?: unknown } | undefined)?.abortSignal
          ? { ...(options as object | undefined), abortSignal: signal }
          : options;
      const operation = command.constructor.name.replace(/Command$/, '');
      // Awaited inside: a fake may answer with a plain value, and a send that throws at once is caught too.
      return (async () => send().call(client, command, withSignal))().catch((error: unknown) => {
        throw toAwsCallError(error, { ...site, operation });
      });
    };
    Object.defineProperty(client, 'send', { value: guardedSend, configurable: true, writable: true });
    return client;
  }

  /** Clients acting as `roleArn`, all sharing one set of temporary credentials (renewed before they expire). */
  withRole(roleArn: string, sessionName = 'spec3'): AwsClients {
    const key = `role:${roleArn}`;
    return this.client(key, () => {
      const credentials = fromTemporaryCredentials({
        params: { RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: 3600 },
        masterCredentials: this.config.credentials,
        clientConfig: {
          region: this.region,
          ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
          requestHandler: this.config.requestHandler,
        },
      });
      return new AwsClients(this.options, shared(credentials), roleArn);
    });
  }

  /** The credentials these clients sign with; for a role this is the AssumeRole call, and fails like it. */
  async credentials(): Promise<AwsCredentialIdentity> {
    const c = this.config.credentials;
    return typeof c === 'function' ? c() : c;
  }

  private client<T>(key: string, make: () => T): T {
    let client = this.cache.get(key) as T | undefined;
    if (!client) {
      client = make();
      this.cache.set(key, client);
    }
    return client;
  }
}

/**
 * The HTTP settings of every client: both timeouts, since without them a call that is never
 * answered hangs the run. A timed-out attempt fails as a TimeoutError, which the SDK retries like
 * a dropped connection. (The SDK builds each client's own handler from these.)
 */
function requestHandler(timeouts: CallTimeouts): NodeHttpHandlerOptions {
  return { connectionTimeout: timeouts.connectMs, requestTimeout: timeouts.requestMs, throwOnRequestTimeout: true };
}

/** Renew temporary credentials this long before they expire. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * One credential request shared by every client that signs with `provider`: the SDK memoizes per
 * client, so without this each service client of a role would call AssumeRole on its own.
 */
function shared(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  let renewAt = Number.POSITIVE_INFINITY;
  return () => {
    if (!current || Date.now() >= renewAt) {
      renewAt = Number.POSITIVE_INFINITY;
      current = provider().then(
        (credentials) => {
          renewAt = (credentials.expiration?.getTime() ?? Number.POSITIVE_INFINITY) - RENEW_BEFORE_MS;
          return credentials;
        },
        (error: unknown) => {
          current = undefined;
          throw error;
        },
      );
    }
    return current;
  };
}
