import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetFunctionConfigurationCommand, LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spec3 } from '../../e2e/helpers.js';
import { awsEnv, useLocalAws } from '../../helpers/local-aws.js';
import { awsClient, editConfig, initProject } from './project.js';

interface DriftJson {
  stacks: {
    name: string;
    status: string;
    templateDrift?: string;
    drifted: { logicalId: string; type: string; status: string; differences: { path: string; expected?: string; actual?: string }[] }[];
  }[];
  drifted: number;
  failed: number;
}

/**
 * `spec3 drift` through the built binary on the local AWS, whose drift detection compares each
 * template's properties with the emulator's live resources: a deployed stage is in sync; a Lambda
 * memory size and a queue's visibility timeout changed out of band are reported with expected and
 * actual values; reverting them brings the stage back in sync; a config change not yet deployed
 * is reported as undeployed changes.
 */
describe('drift on the local AWS', () => {
  const local = useLocalAws({ resetBeforeEach: false });
  let parent = '';
  let dir = '';
  let env: Record<string, string> = {};
  let queueUrl = '';
  const lambda = () => awsClient(LambdaClient, local.endpoint());
  const sqs = () => awsClient(SQSClient, local.endpoint());
  const drift = async (...args: string[]) => {
    const r = await spec3(['drift', 'dev', ...args], dir, env);
    return { ...r, report: args.includes('--json') && r.stdout ? (JSON.parse(r.stdout) as DriftJson) : undefined };
  };

  beforeAll(async () => {
    await local.reset();
    env = awsEnv(local.endpoint());
    parent = await mkdtemp(path.join(os.tmpdir(), 'spec3-drift-'));
    dir = await initProject(parent);
    for (const args of [['bootstrap', 'dev'], ['deploy', 'dev', '--yes']]) {
      const r = await spec3(args, dir, env);
      expect(r.exitCode, r.all).toBe(0);
    }
    queueUrl = (await sqs().send(new GetQueueUrlCommand({ QueueName: 'demo-dev-work' }))).QueueUrl!;
  });

  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('finds a freshly deployed stage in sync (exit 0)', async () => {
    const r = await drift('--json');
    expect(r.exitCode, r.all).toBe(0);
    expect(r.report!.stacks.map((s) => s.status)).toEqual(Array(8).fill('IN_SYNC'));
    expect(r.report!.stacks.every((s) => !s.templateDrift)).toBe(true);
  });

  it('shows a memory size and a visibility timeout changed outside spec3, with expected and actual values (exit 2)', async () => {
    const before = await lambda().send(new GetFunctionConfigurationCommand({ FunctionName: 'demo-dev-api' }));
    const timeout = (await sqs().send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }))).Attributes!
      .VisibilityTimeout!;
    await lambda().send(new UpdateFunctionConfigurationCommand({ FunctionName: 'demo-dev-api', MemorySize: 1024 }));
    await sqs().send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: '7' } }));

    const r = await drift('--json');
    expect(r.exitCode, r.all).toBe(2);
    const drifted = Object.fromEntries(r.report!.stacks.filter((s) => s.status === 'DRIFTED').map((s) => [s.name, s.drifted]));
    expect(Object.keys(drifted).sort()).toEqual(['demo-dev-compute', 'demo-dev-messaging']);
    expect(drifted['demo-dev-compute']).toEqual([
      expect.objectContaining({
        type: 'AWS::Lambda::Function',
        status: 'MODIFIED',
        differences: [{ path: '/MemorySize', expected: String(before.MemorySize), actual: '1024', kind: 'NOT_EQUAL' }],
      }),
    ]);
    expect(drifted['demo-dev-messaging']).toEqual([
      expect.objectContaining({
        type: 'AWS::SQS::Queue',
        status: 'MODIFIED',
        differences: [{ path: '/VisibilityTimeout', expected: timeout, actual: '7', kind: 'NOT_EQUAL' }],
      }),
    ]);

    const text = await drift();
    expect(text.exitCode).toBe(2);
    expect(text.stdout).toContain(`/MemorySize: ${before.MemorySize} -> 1024`);
    expect(text.stdout).toContain(`/VisibilityTimeout: ${timeout} -> 7`);
    expect(text.stdout).toContain('2 of 8 stack(s) drifted');

    // Put both back: the stage is in sync again.
    await lambda().send(new UpdateFunctionConfigurationCommand({ FunctionName: 'demo-dev-api', MemorySize: before.MemorySize }));
    await sqs().send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: timeout } }));
    const reverted = await drift();
    expect(reverted.exitCode, reverted.all).toBe(0);
    expect(reverted.stdout).toContain('All 8 stack(s) in sync.');
  });

  it('reports a config change that is not deployed yet as undeployed changes (exit 2), for the chosen phase only', async () => {
    await editConfig(dir, (config) => {
      config.functions[0]!.memory = 512;
    });
    const r = await drift('--json', '--phase', 'app');
    expect(r.exitCode, r.all).toBe(2);
    expect(r.report!.stacks.map((s) => [s.name, s.status, s.templateDrift])).toEqual([
      ['demo-dev-compute', 'IN_SYNC', 'template changed'],
      ['demo-dev-api', 'IN_SYNC', undefined],
      ['demo-dev-monitoring', 'IN_SYNC', undefined],
    ]);
  });

  it('refuses credentials of another account (exit 1)', async () => {
    await editConfig(dir, (config) => {
      config.stages.dev!.account = '111111111111';
    });
    const r = await drift();
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stderr).toContain('111111111111');
    expect(r.stderr).toContain('123456789012');
  });
});
