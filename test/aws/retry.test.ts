import { CloudFormationServiceException } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { AwsCallError } from '../../src/aws/errors.js';
import { withRetries } from '../../src/aws/retry.js';
import { AbortError } from '../../src/errors.js';

/** The one retry policy of polls and stack steps, on errors shaped as the boundary hands them on. */
const site = { service: 'CloudFormation', operation: 'DescribeStackEvents', region: 'us-east-1' };
const sdk = (name: string, httpStatusCode: number) =>
  new CloudFormationServiceException({ name, message: name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode } });
const failing = (errors: unknown[]) => {
  let calls = 0;
  const call = async () => {
    calls += 1;
    const error = errors.shift();
    if (error) throw error;
    return 'answer';
  };
  return { call, calls: () => calls };
};

describe('withRetries', () => {
  it('makes a call again after transient failures (throttling, 5xx, timeouts, refused connections) and answers its result', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });
    const timeout = Object.assign(new Error('no answer'), { name: 'TimeoutError' });
    const f = failing([sdk('Throttling', 400), new AwsCallError('unavailable', site, sdk('InternalFailure', 500), 'm', 'h'), refused, timeout]);
    expect(await withRetries({ attempts: 5, firstDelayMs: 1 }, f.call)).toBe('answer');
    expect(f.calls()).toBe(5);
  });

  it('gives up after as many calls as the attempts allow, with the last error', async () => {
    const f = failing([sdk('ServiceUnavailable', 503), sdk('ServiceUnavailable', 503), sdk('InternalFailure', 500)]);
    await expect(withRetries({ attempts: 3, firstDelayMs: 1 }, f.call)).rejects.toMatchObject({ name: 'InternalFailure' });
    expect(f.calls()).toBe(3);
  });

  it('does not repeat a call that would fail the same way (denied, expired, refused as invalid)', async () => {
    // An emulator's HTML page for a call it lacks: a 500 the SDK cannot read, the same every time.
    const notAws = Object.assign(new Error('Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'), {
      name: 'Error',
      $metadata: { httpStatusCode: 500 },
    });
    for (const error of [sdk('AccessDenied', 403), sdk('ExpiredToken', 400), sdk('ValidationError', 400), notAws]) {
      const f = failing([error]);
      await expect(withRetries({ attempts: 5, firstDelayMs: 1 }, f.call)).rejects.toBe(error);
      expect(f.calls()).toBe(1);
    }
  });

  it('Ctrl-C ends a pause at once and makes no further call', async () => {
    const controller = new AbortController();
    const f = failing([sdk('Throttling', 400), sdk('Throttling', 400)]);
    const pending = withRetries({ attempts: 5, firstDelayMs: 60_000, signal: controller.signal }, f.call);
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(f.calls()).toBe(1);
  });
});
