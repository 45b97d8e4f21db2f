import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../../helpers/fault-proxy.js';
import { awsEnv, useLocalAws } from '../../helpers/local-aws.js';
import { useTempDirs } from '../../helpers/tmp.js';
import { spec3, type RunResult } from '../../e2e/helpers.js';
import { initProject } from './project.js';

/**
 * Each class of AWS failure through the built binary, answered by the fault proxy in AWS's own
 * shape (or a real refused connection): a named code, a hint, exit 1, and neither a stack trace nor
 * "bug in spec3". `status` (DescribeStacks) and `bootstrap` are the paths that once reached the
 * top unnamed.
 */
describe('AWS errors through the built binary', () => {
  const local = useLocalAws({ resetBeforeEach: false });
  const tempDir = useTempDirs();
  let parent = '';
  let dir = '';
  let proxy: FaultProxy | undefined;

  // One project for every case: nothing here changes it or the local AWS.
  beforeAll(async () => {
    await local.reset();
    parent = await mkdtemp(path.join(os.tmpdir(), 'spec3-aws-errors-'));
    dir = await initProject(parent);
  });
  afterAll(() => rm(parent, { recursive: true, force: true }));
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  /** `spec3 <args>` through a proxy that applies `rules`; two attempts per call keep the failures quick. */
  const through = async (rules: FaultRule[], ...args: string[]): Promise<RunResult> => {
    proxy = await startFaultProxy({ upstream: local.endpoint(), rules });
    return spec3(args, dir, { ...awsEnv(proxy.endpoint), SPEC3_MAX_ATTEMPTS: '2' });
  };
  /** What every failure report must be: exit 1, the code, a hint line, no stack trace, not a "bug". */
  const expectNamed = (r: RunResult, code: string) => {
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stderr, r.all).not.toMatch(/bug in spec3|Unexpected error|^\s+at /m);
    const [message, hint] = r.stderr.trim().split('\n');
    expect(message).toMatch(/^✖ /);
    expect(hint, r.all).toMatch(/^ {2}\S/);
    return { message: message!, hint: hint! };
  };
  const json = (r: RunResult) => (JSON.parse(r.stdout) as { error: { code: string; message: string; hint?: string } }).error;

  it('access denied on DescribeStacks in status: AWS_ACCESS_DENIED naming the principal, the action and the permission to add', async () => {
    const r = await through([{ operation: 'DescribeStacks', kind: 'denied', count: Infinity }], 'status', 'dev');
    const { message, hint } = expectNamed(r, 'AWS_ACCESS_DENIED');
    expect(message).toContain('Access denied: CloudFormation DescribeStacks was refused for arn:aws:iam::123456789012:user/dev');
    expect(hint).toContain('Grant arn:aws:iam::123456789012:user/dev the IAM permission cloudformation:DescribeStacks');
    const j = json(await spec3(['status', 'dev', '--json'], dir, { ...awsEnv(proxy!.endpoint), SPEC3_MAX_ATTEMPTS: '1' }));
    expect(j.code).toBe('AWS_ACCESS_DENIED');
    // Access denied is not transient: one HTTP call per stack, not retried.
    expect(proxy!.calls().DescribeStacks).toBeGreaterThan(0);
  });

  it('access denied in bootstrap: the same named error', async () => {
    const r = await through([{ operation: 'DescribeStacks', kind: 'denied', count: Infinity }], 'bootstrap', 'dev');
    const { message } = expectNamed(r, 'AWS_ACCESS_DENIED');
    expect(message).toContain('CloudFormation DescribeStacks was refused');
    expect(json(await spec3(['bootstrap', 'dev', '--json'], dir, awsEnv(proxy!.endpoint))).code).toBe('AWS_ACCESS_DENIED');
  });

  it('expired credentials: AWS_CREDENTIALS_EXPIRED with how to refresh them (the profile named)', async () => {
    const r = await through([{ operation: 'DescribeStacks', kind: 'expired', count: Infinity }], 'status', 'dev');
    const { message, hint } = expectNamed(r, 'AWS_CREDENTIALS_EXPIRED');
    expect(message).toContain('The AWS credentials have expired (CloudFormation DescribeStacks: ExpiredToken: The security token included in the request is expired)');
    expect(hint).toContain('aws sso login');
    expect(json(await spec3(['status', 'dev', '--json'], dir, awsEnv(proxy!.endpoint))).code).toBe('AWS_CREDENTIALS_EXPIRED');
  });

  it('missing credentials (a profile that does not exist): AWS_NO_CREDENTIALS naming the profile', async () => {
    const config = path.join(await tempDir(), 'aws-config');
    await writeFile(config, '[default]\nregion = us-east-1\n');
    // No keys in the environment: the profile is the only source the credential chain may use.
    const env = { ...awsEnv(local.endpoint()), AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: config };
    const r = await spec3(['status', 'dev', '--profile', 'nosuch'], dir, env);
    const { hint } = expectNamed(r, 'AWS_NO_CREDENTIALS');
    expect(hint).toContain('aws sts get-caller-identity --profile nosuch');
    expect(json(await spec3(['status', 'dev', '--profile', 'nosuch', '--json'], dir, env)).code).toBe('AWS_NO_CREDENTIALS');
  });

  it('503 on every attempt: AWS_UNAVAILABLE after the retries, with the request id', async () => {
    const r = await through([{ operation: 'DescribeStacks', kind: '503', count: Infinity }], 'status', 'dev');
    const { message } = expectNamed(r, 'AWS_UNAVAILABLE');
    expect(message).toMatch(/could not serve CloudFormation DescribeStacks after 2 attempts: HTTP 503 ServiceUnavailable: Service is unavailable \(request id fault-\d+\)/);
    expect(json(await spec3(['status', 'dev', '--json'], dir, { ...awsEnv(proxy!.endpoint), SPEC3_MAX_ATTEMPTS: '2' })).code).toBe('AWS_UNAVAILABLE');
  });

  it('an endpoint that refuses connections: AWS_UNREACHABLE naming it', async () => {
    // A port nobody listens on: bound, its number read, and closed again.
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const endpoint = `http://localhost:${port}`;
    const r = await spec3(['status', 'dev'], dir, { ...awsEnv(endpoint), SPEC3_MAX_ATTEMPTS: '2' });
    const { message, hint } = expectNamed(r, 'AWS_UNREACHABLE');
    expect(message).toContain(`Could not reach the endpoint ${endpoint} for STS GetCallerIdentity after 2 attempts: ECONNREFUSED`);
    expect(hint).toContain(`Check that ${endpoint} is up`);
    expect(json(await spec3(['status', 'dev', '--json'], dir, awsEnv(endpoint))).code).toBe('AWS_UNREACHABLE');
  });

  it('any other AWS error: AWS_CALL_FAILED keeping service, operation, AWS code and request id', async () => {
    const error = { status: 400, code: 'InvalidInput', message: 'The input fails to satisfy the constraints' };
    const r = await through([{ operation: 'DescribeStacks', kind: 'error', error, count: Infinity }], 'status', 'dev');
    const { message } = expectNamed(r, 'AWS_CALL_FAILED');
    expect(message).toMatch(/CloudFormation DescribeStacks failed: InvalidInput: The input fails to satisfy the constraints \(request id fault-\d+\)/);
    expect(json(await spec3(['status', 'dev', '--json'], dir, awsEnv(proxy!.endpoint))).code).toBe('AWS_CALL_FAILED');
    // With -v, what AWS answered is shown too, still without a stack trace.
    const verbose = await spec3(['status', 'dev', '-v'], dir, awsEnv(proxy!.endpoint));
    expect(verbose.stderr).toMatch(/caused by: InvalidInput: The input fails to satisfy the constraints \(HTTP 400, request id fault-\d+\)/);
  });
});
