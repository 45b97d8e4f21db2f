import { AbortError, Spec3Error } from '../errors.js';

/**
 * The AWS error boundary: every error of an SDK call leaves `src/aws` as an `AwsCallError`, a
 * Spec3Error with a named code and a hint, with the SDK's own error kept as `cause`. The helpers
 * below read either form, so code that tells "stack does not exist" or "parameter not found" from
 * a real failure keeps working on both sides of the boundary.
 */

interface SdkErrorShape {
  name?: string;
  message?: string;
  Code?: string;
  /** Node's system error code (ECONNREFUSED, ENOTFOUND, ...), for errors below HTTP. */
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string; attempts?: number };
  cause?: unknown;
}

/** Where a call went, as the boundary names it in messages. */
export interface CallSite {
  /** e.g. `CloudFormation`, `SSM`, `STS`, `S3`. */
  readonly service: string;
  /** e.g. `DescribeStacks`. */
  readonly operation: string;
  /** The endpoint when one is configured (an emulator, a proxy); otherwise AWS itself. */
  readonly endpoint?: string;
  readonly region: string;
  /** The profile the credentials come from, when one was named. */
  readonly profile?: string;
}

export type AwsErrorKind = 'access-denied' | 'credentials-expired' | 'no-credentials' | 'throttled' | 'unavailable' | 'unreachable' | 'failed';

export const AWS_ERROR_CODES: Readonly<Record<AwsErrorKind, string>> = {
  'access-denied': 'AWS_ACCESS_DENIED',
  'credentials-expired': 'AWS_CREDENTIALS_EXPIRED',
  'no-credentials': 'AWS_NO_CREDENTIALS',
  throttled: 'AWS_THROTTLED',
  unavailable: 'AWS_UNAVAILABLE',
  unreachable: 'AWS_UNREACHABLE',
  failed: 'AWS_CALL_FAILED',
};

/** An SDK call that failed after its retries, named by what went wrong. The SDK's error is `cause`. */
export class AwsCallError extends Spec3Error {
  readonly kind: AwsErrorKind;
  readonly service: string;
  readonly operation: string;
  /** AWS's error code, e.g. `AccessDenied`, `ValidationError`, or Node's, e.g. `ECONNREFUSED`. */
  readonly awsCode: string;
  readonly requestId: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(kind: AwsErrorKind, site: CallSite, cause: unknown, message: string, hint: string) {
    super(AWS_ERROR_CODES[kind], message, hint, { cause });
    const e = cause as SdkErrorShape;
    this.kind = kind;
    this.service = site.service;
    this.operation = site.operation;
    this.awsCode = rawName(cause);
    this.requestId = e?.$metadata?.requestId;
    this.httpStatus = e?.$metadata?.httpStatusCode;
    // Libraries handed these clients (cdk-assets, lib-storage) tell errors apart by the SDK's
    // `name` and `$metadata`, as the SDK documents; they keep seeing them.
    this.name = this.awsCode;
    Object.assign(this, { $metadata: e?.$metadata ?? {}, ...(e?.$fault ? { $fault: e.$fault } : {}) });
  }
}

/** The SDK's error behind an error of either side of the boundary. */
function sdkError(error: unknown): SdkErrorShape {
  return (error instanceof AwsCallError ? error.cause : error) as SdkErrorShape;
}

function rawName(error: unknown): string {
  const e = error as SdkErrorShape;
  // Node's network errors are plain Errors carrying a system code.
  if (e?.code && /^E[A-Z_]+$/.test(e.code) && (!e.name || e.name === 'Error')) return e.code;
  return e?.name ?? e?.Code ?? 'Error';
}

export function awsErrorName(error: unknown): string {
  return rawName(sdkError(error));
}

function awsMessage(error: unknown): string {
  const e = sdkError(error);
  return e?.message ?? String(e);
}

const THROTTLING = /^(Throttling|ThrottlingException|ThrottledException|TooManyRequestsException|RequestLimitExceeded|RequestThrottled|RequestThrottledException|SlowDown|ProvisionedThroughputExceededException|BandwidthLimitExceeded|PriorRequestNotComplete|EC2ThrottledException)$/;

export function isThrottling(error: unknown): boolean {
  const e = sdkError(error);
  return THROTTLING.test(awsErrorName(error)) || e?.$metadata?.httpStatusCode === 429 || /Rate exceeded/i.test(e?.message ?? '');
}

/** CloudFormation's "stack does not exist" comes as a ValidationError with that text. */
export function isStackMissing(error: unknown): boolean {
  return awsErrorName(error) === 'ValidationError' && /does not exist/.test(awsMessage(error));
}

const ACCESS_DENIED = /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnauthorizedAccess|AuthorizationError|AuthorizationErrorException|NotAuthorized|Forbidden|InsufficientPrivilegesException)$/;
const EXPIRED = /^(ExpiredToken|ExpiredTokenException|TokenRefreshRequired|RequestExpired)$/;
const NO_CREDENTIALS = /^(CredentialsProviderError|InvalidClientTokenId|UnrecognizedClientException|InvalidAccessKeyId|SignatureDoesNotMatch|InvalidSignatureException|IncompleteSignature|MissingAuthenticationToken)$/;
const SERVER = /^(InternalFailure|InternalError|InternalServerError|InternalServiceError|InternalException|ServiceUnavailable|ServiceUnavailableException|Unavailable)$/;
const NETWORK = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|ECONNABORTED|TimeoutError|RequestTimeout|RequestTimeoutException)$/;

const NOT_AWS = /XML parse error|Deserialization error|mismatched tag/i;

export function classifyAwsError(error: unknown): AwsErrorKind {
  const e = sdkError(error);
  const name = awsErrorName(error);
  const status = e?.$metadata?.httpStatusCode;
  // An answer that is not AWS's (an emulator's HTML page for a call it lacks) fails the same way every time.
  if (NOT_AWS.test(e?.message ?? '')) return 'failed';
  if (ACCESS_DENIED.test(name)) return 'access-denied';
  if (EXPIRED.test(name) || /security token included in the request is expired/i.test(e?.message ?? '')) return 'credentials-expired';
  if (NO_CREDENTIALS.test(name) || /Could not load credentials/i.test(e?.message ?? '')) return 'no-credentials';
  if (isThrottling(error)) return 'throttled';
  if (NETWORK.test(name)) return 'unreachable';
  if (SERVER.test(name) || (status !== undefined && status >= 500)) return 'unavailable';
  return 'failed';
}

/**
 * Transient failures: worth trying again after a pause (throttling, a 5xx, a timeout, a dropped
 * or refused connection). Everything else (a refused request, denied access, bad credentials)
 * fails the same way every time.
 */
export function isTransient(error: unknown): boolean {
  const kind = classifyAwsError(error);
  return kind === 'throttled' || kind === 'unavailable' || kind === 'unreachable';
}

/**
 * One line for a failed call. An emulator answering an unimplemented call with an HTML page makes
 * the SDK report an XML parse error; say what it really is instead.
 */
export function describeAwsError(error: unknown): string {
  const e = sdkError(error);
  const message = e?.message ?? String(error);
  if (NOT_AWS.test(message)) {
    return `the endpoint answered with something that is not an AWS response (HTTP ${e.$metadata?.httpStatusCode ?? '?'}); the call is probably not implemented there`;
  }
  // The HTTP handler's own wording names itself and its settings; say what happened instead.
  const ms = /(\d+) ms/.exec(message)?.[1];
  if (e?.name === 'TimeoutError' && ms) {
    const limit = `${Number(ms) / 1000} s`;
    return /establish a connection/.test(message) ? `TimeoutError: no connection within ${limit}` : `TimeoutError: no answer within ${limit}`;
  }
  return `${awsErrorName(error)}: ${message}`;
}

/** The IAM action prefix of each service spec3 calls. */
const IAM_PREFIX: Readonly<Record<string, string>> = { CloudFormation: 'cloudformation', SSM: 'ssm', STS: 'sts', S3: 's3', ECR: 'ecr' };

/**
 * The SDK error of one call -> the named Spec3Error the rest of spec3 sees. Spec3's own errors
 * pass unchanged; an aborted call becomes the AbortError of the interruption.
 */
export function toAwsCallError(error: unknown, site: CallSite): Spec3Error {
  if (error instanceof Spec3Error) return error;
  if ((error as SdkErrorShape)?.name === 'AbortError') return new AbortError('Interrupted.');
  const e = error as SdkErrorShape;
  const kind = classifyAwsError(error);
  const name = rawName(error);
  const call = `${site.service} ${site.operation}`;
  const where = site.endpoint ? `the endpoint ${site.endpoint}` : `AWS ${site.service} in ${site.region}`;
  const attempts = e?.$metadata?.attempts;
  const tries = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
  const requestId = e?.$metadata?.requestId ? ` (request id ${e.$metadata.requestId})` : '';
  const profile = site.profile ? ` --profile ${site.profile}` : '';
  switch (kind) {
    case 'access-denied': {
      // AWS names the principal and the action in its message: "User: arn:... is not authorized to perform: ssm:GetParameter on resource: arn:...".
      const said = /(?:User|Principal): (\S+) is not authorized to perform: (\S+?)(?: on resource: (\S+?))?(?: because|[.,;]?$|[.,;]? )/.exec(e?.message ?? '');
      const action = said?.[2] ?? `${IAM_PREFIX[site.service] ?? site.service.toLowerCase()}:${site.operation}`;
      const principal = said?.[1];
      const resource = said?.[3];
      return new AwsCallError(
        kind,
        site,
        error,
        `Access denied: ${call} was refused${principal ? ` for ${principal}` : ''}${resource ? ` on ${resource}` : ''}: ${awsMessage(error)}${requestId}`,
        `Grant ${principal ?? 'these credentials'} the IAM permission ${action}${resource ? ` on ${resource}` : ''}, or run with credentials that have it (--profile). \`aws sts get-caller-identity${profile}\` shows who the credentials are.`,
      );
    }
    case 'credentials-expired':
      return new AwsCallError(
        kind,
        site,
        error,
        `The AWS credentials have expired (${call}: ${name}: ${awsMessage(error)}).`,
        site.profile
          ? `Refresh them with \`aws sso login --profile ${site.profile}\` (or renew the keys of profile ${site.profile}), then run the command again.`
          : 'Refresh them with `aws sso login` for an SSO profile (or export new AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN), then run the command again.',
      );
    case 'no-credentials':
      return new AwsCallError(
        kind,
        site,
        error,
        `No valid AWS credentials for ${call}: ${name}: ${awsMessage(error)}`,
        site.profile
          ? `Check profile ${site.profile}: \`aws sts get-caller-identity --profile ${site.profile}\`; for an SSO profile, \`aws sso login --profile ${site.profile}\`.`
          : 'Configure credentials with `aws configure`, or pass --profile with a profile of ~/.aws/config; `aws sts get-caller-identity` shows what is found.',
      );
    case 'throttled':
      return new AwsCallError(
        kind,
        site,
        error,
        `AWS kept throttling ${call}${tries}: ${name}: ${awsMessage(error)}${requestId}`,
        'Another tool may be calling the same API heavily. Run the command again later, or allow more attempts with --max-attempts 15 (or SPEC3_MAX_ATTEMPTS=15).',
      );
    case 'unavailable':
      return new AwsCallError(
        kind,
        site,
        error,
        `${where} could not serve ${call}${tries}: HTTP ${e?.$metadata?.httpStatusCode ?? '5xx'} ${name}: ${awsMessage(error)}${requestId}`,
        site.endpoint
          ? `Check that ${site.endpoint} is up (\`spec3 local status\` for the local AWS), then run the command again.`
          : `A fault on the side of AWS; run the command again (outages are listed on https://health.aws.amazon.com/health/status).`,
      );
    case 'unreachable': {
      const timedOut = /Timeout|ETIMEDOUT/.test(name);
      return new AwsCallError(
        kind,
        site,
        error,
        `Could not reach ${where} for ${call}${tries}: ${timedOut ? describeAwsError(error) : `${name}: ${awsMessage(error)}`}`,
        site.endpoint
          ? `Check that ${site.endpoint} is up (\`spec3 local status\` for the local AWS); on a slow connection, allow more time with SPEC3_CALL_TIMEOUT=120.`
          : 'Check the network connection (and HTTPS_PROXY, if one is needed); on a slow connection, allow more time with SPEC3_CALL_TIMEOUT=120.',
      );
    }
    case 'failed':
      return new AwsCallError(
        kind,
        site,
        error,
        `${call} failed: ${describeAwsError(error)}${requestId}`,
        `AWS refused the call for the reason above; fix it and run the command again (-v shows the details).`,
      );
  }
}
