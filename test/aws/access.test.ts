import { describe, expect, it } from 'vitest';
import { resolveAwsOptions } from '../../src/aws/access.js';

const ENV = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL: 'http://localhost:4599' };

describe('AWS options: attempts per call', () => {
  it('takes SPEC3_MAX_ATTEMPTS from the environment, and the flag over it', async () => {
    expect((await resolveAwsOptions({}, { ...ENV, SPEC3_MAX_ATTEMPTS: '3' }, 'us-east-1')).maxAttempts).toBe(3);
    expect((await resolveAwsOptions({ maxAttempts: 5 }, { ...ENV, SPEC3_MAX_ATTEMPTS: '3' }, 'us-east-1')).maxAttempts).toBe(5);
    expect((await resolveAwsOptions({}, ENV, 'us-east-1')).maxAttempts).toBe(8);
  });

  it('refuses a bad SPEC3_MAX_ATTEMPTS naming the variable and how to fix it', async () => {
    await expect(resolveAwsOptions({}, { ...ENV, SPEC3_MAX_ATTEMPTS: 'many' }, 'us-east-1')).rejects.toMatchObject({
      code: 'BAD_MAX_ATTEMPTS',
      message: 'SPEC3_MAX_ATTEMPTS must be an integer from 1 to 20, got "many".',
      hint: 'Set SPEC3_MAX_ATTEMPTS to a whole number from 1 to 20, or unset it for the default of 8.',
    });
  });
});
