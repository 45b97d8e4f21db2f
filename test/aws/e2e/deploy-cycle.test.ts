import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetBucketVersioningCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsEnv, useLocalAws } from '../../helpers/local-aws.js';
import { spec3, spec3Typing } from '../../e2e/helpers.js';
import { awsClient, editConfig, initProject, liveStacks } from './project.js';

/**
 * The whole life of a stage through the built binary against the local AWS: init, bootstrap,
 * the three phases in order (and out of order), status, a no-op redeploy, a config change that
 * touches one stack, and a destroy confirmed by typing the stage name in a pseudo-terminal.
 * Assertions read the real resources through the service APIs, not only stack states.
 */
describe('deploy cycle on the local AWS', () => {
  // Each step builds on the state the previous ones left, so the server is reset once, up front.
  const local = useLocalAws({ resetBeforeEach: false });
  let parent = '';
  let dir = '';
  let env: Record<string, string> = {};
  const client = <T>(C: new (config: object) => T): T => awsClient(C, local.endpoint());
  const stacks = () => liveStacks(local.endpoint(), 'demo-dev-');
  const run = async (...args: string[]) => {
    const r = await spec3(args, dir, env);
    return r;
  };
  const json = <T>(stdout: string): T => JSON.parse(stdout) as T;
  type Deploy = { phases: { phase: string; stacks: { name: string; status: string }[] }[] };
  const statuses = (d: Deploy) => Object.fromEntries(d.phases.flatMap((p) => p.stacks.map((s) => [s.name.replace('demo-dev-', ''), s.status])));

  beforeAll(async () => {
    await local.reset();
    parent = await mkdtemp(path.join(os.tmpdir(), 'spec3-cycle-'));
    env = awsEnv(local.endpoint());
    dir = await initProject(parent);
  });

  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('refuses to deploy before the account is bootstrapped', async () => {
    const r = await run('deploy', 'dev', '--yes', '--phase', 'foundation');
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stderr).toContain('account 123456789012, region us-east-1 is not bootstrapped');
    expect(r.stderr).toContain('spec3 bootstrap dev');
    expect(await stacks()).toEqual([]);
  });

  it('bootstraps once, then finds nothing to do', async () => {
    const first = await run('bootstrap', 'dev');
    expect(first.exitCode, first.all).toBe(0);
    expect(first.stdout).toMatch(/CDKToolkit created in account 123456789012, us-east-1: version \d+/);
    const again = await run('bootstrap', 'dev');
    expect(again.exitCode, again.all).toBe(0);
    expect(again.stdout).toContain('nothing to do');
    const param = await client(SSMClient).send(new GetParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version' }));
    expect(Number(param.Parameter?.Value)).toBeGreaterThanOrEqual(6);
  });

  it('refuses the app phase before foundation, naming the missing phase', async () => {
    const r = await run('deploy', 'dev', '--yes', '--phase', 'app');
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stderr).toContain('Phase app needs phase foundation deployed first; not deployed: demo-dev-network (not created)');
    expect(r.stderr).toContain('spec3 deploy dev --phase foundation');
    expect(await stacks()).toEqual([]);
  });

  it('deploys the foundation: bucket, table, queues and published SSM values exist', async () => {
    const r = await run('deploy', 'dev', '--yes', '--phase', 'foundation', '--json');
    expect(r.exitCode, r.all).toBe(0);
    expect(statuses(json<Deploy>(r.stdout))).toEqual({ network: 'created', security: 'created', storage: 'created', messaging: 'created' });
    const bucket = (await client(SSMClient).send(new GetParameterCommand({ Name: '/spec3/demo/dev/storage/bucket-name' }))).Parameter?.Value;
    expect(bucket).toBe('demo-dev-data-123456789012-us-east-1');
    await client(S3Client).send(new HeadBucketCommand({ Bucket: bucket }));
    expect((await client(S3Client).send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
    const table = await client(DynamoDBClient).send(new DescribeTableCommand({ TableName: 'demo-dev-table' }));
    expect(table.Table?.TableStatus).toBe('ACTIVE');
    for (const queue of ['demo-dev-work', 'demo-dev-work-dlq', 'demo-dev-functions-dlq']) {
      expect((await client(SQSClient).send(new GetQueueUrlCommand({ QueueName: queue }))).QueueUrl).toContain(queue);
    }
  });

  it('deploys the app and integrations phases: functions exist with the configured settings', async () => {
    const app = await run('deploy', 'dev', '--yes', '--phase', 'app', '--json');
    expect(app.exitCode, app.all).toBe(0);
    expect(statuses(json<Deploy>(app.stdout))).toEqual({ compute: 'created', api: 'created', monitoring: 'created' });
    const fn = await client(LambdaClient).send(new GetFunctionConfigurationCommand({ FunctionName: 'demo-dev-api' }));
    expect(fn.Runtime).toBe('python3.13');
    expect(fn.Environment?.Variables?.STAGE).toBe('dev');
    const integrations = await run('deploy', 'dev', '--yes', '--phase', 'integrations', '--json');
    expect(integrations.exitCode, integrations.all).toBe(0);
    expect(statuses(json<Deploy>(integrations.stdout))).toEqual({ integrations: 'created' });
    const outputs = JSON.parse(await readFile(path.join(dir, '.spec3', 'dev', 'outputs.json'), 'utf8')) as Record<string, object>;
    expect(Object.keys(outputs).sort()).toEqual(
      ['api', 'compute', 'integrations', 'messaging', 'monitoring', 'network', 'security', 'storage'].map((k) => `demo-dev-${k}`).sort(),
    );
  });

  it('shows every stack by phase in status', async () => {
    const r = await run('status', 'dev', '--json');
    expect(r.exitCode, r.all).toBe(0);
    const status = json<{ deployed: number; phases: { phase: string; stacks: { name: string; status: string }[] }[] }>(r.stdout);
    expect(status.deployed).toBe(8);
    expect(status.phases.map((p) => p.phase)).toEqual(['foundation', 'app', 'integrations']);
    expect(status.phases.flatMap((p) => p.stacks.map((s) => s.status))).toEqual(Array(8).fill('CREATE_COMPLETE'));
    const text = await run('status', 'dev');
    expect(text.stdout).toContain('8/8 stacks deployed');
  });

  it('skips every stack on a redeploy without changes, creating no change set', async () => {
    const before = await client(CloudFormationClient).send(new DescribeStacksCommand({ StackName: 'demo-dev-compute' }));
    const r = await run('deploy', 'dev', '--yes', '--json');
    expect(r.exitCode, r.all).toBe(0);
    expect(new Set(Object.values(statuses(json<Deploy>(r.stdout))))).toEqual(new Set(['skipped']));
    const after = await client(CloudFormationClient).send(new DescribeStacksCommand({ StackName: 'demo-dev-compute' }));
    expect(after.Stacks?.[0]?.LastUpdatedTime).toEqual(before.Stacks?.[0]?.LastUpdatedTime);
  });

  it('updates only the stacks a config change touches', async () => {
    const config = await editConfig(dir, (c) => {
      c.functions[0]!.memory = 512;
    });
    const r = await run('deploy', 'dev', '--yes', '--json');
    expect(r.exitCode, r.all).toBe(0);
    const changed = Object.entries(statuses(json<Deploy>(r.stdout))).filter(([, s]) => s !== 'skipped');
    expect(changed).toEqual([['compute', 'updated']]);
    const fn = await client(LambdaClient).send(new GetFunctionConfigurationCommand({ FunctionName: `demo-dev-${config.functions[0]!.name}` }));
    expect(fn.MemorySize).toBe(512);
  });

  it('refuses destroy without a terminal, changing nothing', async () => {
    const r = await run('destroy', 'dev');
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stderr).toMatch(/terminal|--force/);
    expect(await stacks()).toHaveLength(8);
  });

  it('destroys the stage after the stage name is typed, leaving nothing behind', async () => {
    const bucket = 'demo-dev-data-123456789012-us-east-1';
    await client(S3Client).send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'one' }));
    await client(S3Client).send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'two' }));
    const r = await spec3Typing('dev', ['destroy', 'dev'], dir, env);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toContain('Type the stage name');
    // The pseudo-terminal has no window size; the task list is still drawn in whole lines.
    expect(r.all).toContain('Phase foundation');
    expect(await stacks()).toEqual([]);
    await expect(client(S3Client).send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toThrow();
    await expect(client(DynamoDBClient).send(new DescribeTableCommand({ TableName: 'demo-dev-table' }))).rejects.toThrow();
    await expect(client(SSMClient).send(new GetParameterCommand({ Name: '/spec3/demo/dev/storage/bucket-name' }))).rejects.toThrow();
    await expect(client(LambdaClient).send(new GetFunctionConfigurationCommand({ FunctionName: 'demo-dev-api' }))).rejects.toThrow();
  });
});
