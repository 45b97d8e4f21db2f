/** Helpers to read SDK v3 errors without depending on their classes. */

interface SdkErrorShape {
  name?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

export function awsErrorName(error: unknown): string {
  const e = error as SdkErrorShape;
  return e?.name ?? e?.Code ?? 'Error';
}

export function isThrottling(error: unknown): boolean {
  return /Throttl|TooManyRequests|RequestLimitExceeded|Rate exceeded/i.test(
    `${awsErrorName(error)} ${(error as SdkErrorShape)?.message ?? ''}`,
  );
}

/** CloudFormation's "stack does not exist" comes as a ValidationError with that text. */
export function isStackMissing(error: unknown): boolean {
  return awsErrorName(error) === 'ValidationError' && /does not exist/.test((error as SdkErrorShape).message ?? '');
}

/**
 * One line for a failed call. An emulator answering an unimplemented call with an HTML page makes
 * the SDK report an XML parse error; say what it really is instead.
 */
export function describeAwsError(error: unknown): string {
  const e = error as SdkErrorShape;
  const message = e?.message ?? String(error);
  if (/XML parse error|Deserialization error|mismatched tag/i.test(message)) {
    return `the endpoint answered with something that is not an AWS response (HTTP ${e.$metadata?.httpStatusCode ?? '?'}); the call is probably not implemented there`;
  }
  return `${awsErrorName(error)}: ${message}`;
}
