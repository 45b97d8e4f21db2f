import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { resolveAwsAccess } from '../../src/aws/access.js';
import { DEFAULT_TIMEOUTS } from '../../src/aws/timeouts.js';

const ENV = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL: 'http://localhost:4599' };

describe('AWS options: attempts per call', () => {
  it('takes SPEC3_MAX_ATTEMPTS from the environment, and the flag over it', async () => {
    expect((await resolveAwsAccess({}, { ...ENV, SPEC3_MAX_ATTEMPTS: '3' }, 'us-east-1')).options.maxAttempts).toBe(3);
    expect((await resolveAwsAccess({ maxAttempts: 5 }, { ...ENV, SPEC3_MAX_ATTEMPTS: '3' }, 'us-east-1')).options.maxAttempts).toBe(5);
    expect((await resolveAwsAccess({}, ENV, 'us-east-1')).options.maxAttempts).toBe(8);
  });

  it('refuses a bad SPEC3_MAX_ATTEMPTS naming the variable and how to fix it', async () => {
    await expect(resolveAwsAccess({}, { ...ENV, SPEC3_MAX_ATTEMPTS: 'many' }, 'us-east-1')).rejects.toMatchObject({
      code: 'BAD_MAX_ATTEMPTS',
      message: 'SPEC3_MAX_ATTEMPTS must be an integer from 1 to 20, got "many".',
      hint: 'Set SPEC3_MAX_ATTEMPTS to a whole number from 1 to 20, or unset it for the default of 8.',
    });
  });
});

describe('AWS access: an endpoint is not the spec3 local AWS', () => {
  it('reaches AWS_ENDPOINT_URL without keys through the normal credential chain, as AWS', async () => {
    const access = await resolveAwsAccess({}, { AWS_ENDPOINT_URL: 'http://localhost:4599' }, 'us-east-1');
    expect(access).toEqual({ local: false, options: { region: 'us-east-1', maxAttempts: 8, timeouts: DEFAULT_TIMEOUTS, endpoint: 'http://localhost:4599' } });
  });

  it('reaches --endpoint without keys through the normal credential chain, with a profile when one is named', async () => {
    const access = await resolveAwsAccess({ endpoint: 'http://localhost:4566', profile: 'ci' }, {}, 'eu-west-1');
    expect(access).toEqual({ local: false, options: { region: 'eu-west-1', maxAttempts: 8, timeouts: DEFAULT_TIMEOUTS, profile: 'ci', endpoint: 'http://localhost:4566' } });
  });

  it('uses the keys the environment gives for an endpoint', async () => {
    const access = await resolveAwsAccess({}, { ...ENV, AWS_SESSION_TOKEN: 'tok' }, 'us-east-1');
    expect(access.local).toBe(false);
    expect(access.options.credentials).toEqual({ accessKeyId: 'test', secretAccessKey: 'test', sessionToken: 'tok' });
  });

  it('gives --local with --endpoint the local AWS treatment: dummy keys, marked local', async () => {
    const access = await resolveAwsAccess({ local: true, endpoint: 'http://localhost:4599' }, {}, 'us-east-1');
    expect(access).toEqual({
      local: true,
      options: { region: 'us-east-1', maxAttempts: 8, timeouts: DEFAULT_TIMEOUTS, endpoint: 'http://localhost:4599', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    });
  });

  it('refuses --local when no local AWS is recorded, even with AWS_ENDPOINT_URL set', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'spec3-home-'));
    try {
      await expect(resolveAwsAccess({ local: true }, { SPEC3_HOME: home, AWS_ENDPOINT_URL: 'http://localhost:4599' }, 'us-east-1')).rejects.toMatchObject({
        code: 'LOCAL_AWS_NOT_RUNNING',
      });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('AWS access: --local finds the server `spec3 local start` recorded', () => {
  it('takes its endpoint and dummy keys, and marks the target local', async () => {
    const access = await resolveAwsAccess({ local: true }, { SPEC3_HOME: inject('localAwsHome') }, 'us-east-1');
    expect(access.local).toBe(true);
    expect(access.options.endpoint).toBe(inject('localAwsEndpoint'));
    expect(access.options.credentials).toEqual({ accessKeyId: 'test', secretAccessKey: 'test' });
  });
});
