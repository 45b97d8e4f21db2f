import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  type StackResourceDrift,
} from '@aws-sdk/client-cloudformation';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { driftExitCode } from '../../../src/cli/exit-codes.js';
import { run, type DriftResult } from '../../../src/commands/drift/index.js';
import { TestIo } from '../../helpers/io.js';
import { writeProject } from '../../helpers/project.js';
import { useTempDirs } from '../../helpers/tmp.js';

// moto has no drift detection of its own (spec3's local AWS adds a subset); these fakes answer
// like CloudFormation does, including what no emulator shows: NOT_CHECKED and DELETED resources,
// a failed detection, throttling, and a detection that never finishes.
const cfn = mockClient(CloudFormationClient);
const ssm = mockClient(SSMClient);
const sts = mockClient(STSClient);
const tempDir = useTempDirs();

const ACCOUNT = '123456789012';
const NAMES = ['network', 'security', 'storage', 'messaging', 'compute', 'api', 'monitoring', 'integrations', 'edge'].map((k) => `orders-dev-${k}`);
const template = { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30 } } } };
const stackId = (name: string) => `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/${name}/6c1b2f30-8a11-11ef-a1b2-0e3c4d5e6f70`;

let dir = '';
let assembly = '';

/** A cloud assembly as `spec3 synth` writes it, reduced to what drift reads. */
async function writeAssembly(names: readonly string[]): Promise<void> {
  await mkdir(assembly, { recursive: true });
  const artifacts: Record<string, object> = {};
  for (const name of names) {
    await writeFile(path.join(assembly, `${name}.template.json`), JSON.stringify(template));
    artifacts[name] = {
      type: 'aws:cloudformation:stack',
      environment: `aws://${ACCOUNT}/us-east-1`,
      properties: { templateFile: `${name}.template.json`, stackName: name, tags: { 'spec3:phase': 'foundation', project: 'orders', stage: 'dev' } },
    };
  }
  await writeFile(path.join(assembly, 'manifest.json'), JSON.stringify({ version: '54.0.0', artifacts }));
}

function deployed(names: readonly string[]): void {
  for (const name of names) {
    cfn.on(DescribeStacksCommand, { StackName: name }).resolves({
      Stacks: [
        {
          StackName: name,
          StackId: stackId(name),
          StackStatus: 'CREATE_COMPLETE',
          CreationTime: new Date('2026-11-01T10:00:00.000Z'),
          Tags: [{ Key: 'spec3:phase', Value: 'foundation' }, { Key: 'project', Value: 'orders' }, { Key: 'stage', Value: 'dev' }],
          EnableTerminationProtection: false,
        },
      ],
    });
  }
  cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(template) });
}

/** Drift detection that takes `ms` of (fake) time per stack, then reports `drifts` for it. */
function detection(ms: number, drifts: (name: string) => StackResourceDrift[] = () => [], failure?: string): Map<string, number> {
  const startedAt = new Map<string, number>();
  cfn.on(DetectStackDriftCommand).callsFake((input: { StackName: string }) => {
    startedAt.set(input.StackName, Date.now());
    return { StackDriftDetectionId: `drift-${input.StackName}` };
  });
  cfn.on(DescribeStackDriftDetectionStatusCommand).callsFake((input: { StackDriftDetectionId: string }) => {
    const name = input.StackDriftDetectionId.replace('drift-', '');
    const done = Date.now() - startedAt.get(name)! >= ms;
    const drifted = drifts(name).filter((d) => d.StackResourceDriftStatus === 'MODIFIED' || d.StackResourceDriftStatus === 'DELETED');
    return {
      StackId: stackId(name),
      StackDriftDetectionId: input.StackDriftDetectionId,
      DetectionStatus: done ? (failure ? 'DETECTION_FAILED' : 'DETECTION_COMPLETE') : 'DETECTION_IN_PROGRESS',
      ...(done ? { StackDriftStatus: drifted.length > 0 ? 'DRIFTED' : 'IN_SYNC', DriftedStackResourceCount: drifted.length } : {}),
      ...(done && failure ? { DetectionStatusReason: failure } : {}),
      Timestamp: new Date(),
    };
  });
  // Like CloudFormation: the drift list holds checked resources only (filtered by status); a type
  // without drift support shows NOT_CHECKED in the stack's resource list instead.
  cfn.on(DescribeStackResourceDriftsCommand).callsFake((input: { StackName: string; StackResourceDriftStatusFilters?: string[] }) => ({
    StackResourceDrifts: drifts(input.StackName).filter(
      (d) => d.StackResourceDriftStatus !== 'NOT_CHECKED' && (input.StackResourceDriftStatusFilters ?? [d.StackResourceDriftStatus]).includes(d.StackResourceDriftStatus!),
    ),
  }));
  cfn.on(ListStackResourcesCommand).callsFake((input: { StackName: string }) => ({
    StackResourceSummaries: drifts(input.StackName).map((d) => ({
      LogicalResourceId: d.LogicalResourceId,
      PhysicalResourceId: d.PhysicalResourceId,
      ResourceType: d.ResourceType,
      LastUpdatedTimestamp: new Date('2026-11-01T10:00:00.000Z'),
      ResourceStatus: 'CREATE_COMPLETE',
      DriftInformation: { StackResourceDriftStatus: d.StackResourceDriftStatus, LastCheckTimestamp: new Date() },
    })),
  }));
  return startedAt;
}

const modifiedFunction = (name: string): StackResourceDrift => ({
  StackId: stackId(name),
  LogicalResourceId: 'ApiFunction',
  PhysicalResourceId: 'orders-dev-api',
  ResourceType: 'AWS::Lambda::Function',
  ExpectedProperties: '{"MemorySize":256}',
  ActualProperties: '{"MemorySize":1024}',
  PropertyDifferences: [{ PropertyPath: '/MemorySize', ExpectedValue: '256', ActualValue: '1024', DifferenceType: 'NOT_EQUAL' }],
  StackResourceDriftStatus: 'MODIFIED',
  Timestamp: new Date(),
});
const deletedQueue = (name: string): StackResourceDrift => ({
  StackId: stackId(name),
  LogicalResourceId: 'Queue',
  PhysicalResourceId: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-dev-work',
  ResourceType: 'AWS::SQS::Queue',
  ExpectedProperties: '{"VisibilityTimeout":30}',
  StackResourceDriftStatus: 'DELETED',
  Timestamp: new Date(),
});
const uncheckable = (name: string): StackResourceDrift => ({
  StackId: stackId(name),
  LogicalResourceId: 'Dashboard',
  PhysicalResourceId: 'orders-dev',
  ResourceType: 'AWS::CloudWatch::Dashboard',
  StackResourceDriftStatus: 'NOT_CHECKED',
  Timestamp: new Date(),
});

/**
 * Runs drift under fake timers. The clock moves only to the next timer once file and mock I/O has
 * settled, so fake time is spent only where the code really waits (poll intervals).
 */
async function drift(options: { concurrency?: number; timeoutSeconds?: number; stacks?: string[] } = {}): Promise<{ result?: DriftResult; error?: unknown; io: TestIo }> {
  const io = new TestIo();
  let outcome: { result?: DriftResult; error?: unknown } | undefined;
  run({ stage: 'dev', assembly, ...options }, { cwd: dir, io, env: { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-east-1' } }).then(
    (result) => (outcome = { result }),
    (error: unknown) => (outcome = { error }),
  );
  for (let i = 0; !outcome && i < 20_000; i += 1) {
    for (let j = 0; j < 20; j += 1) await new Promise((resolve) => setImmediate(resolve));
    if (!outcome && vi.getTimerCount() > 0) await vi.advanceTimersToNextTimerAsync();
  }
  return { ...outcome, io };
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  dir = await tempDir();
  assembly = path.join(dir, 'assembly');
  await writeProject(dir);
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/ci`, UserId: 'AIDAEXAMPLE' });
  ssm.on(GetParametersCommand).resolves({ Parameters: [], InvalidParameters: [] });
});
afterEach(() => {
  vi.useRealTimers();
  cfn.reset();
  ssm.reset();
  sts.reset();
});

describe('drift', () => {
  it('checks nine stacks at once: nine 2-second detections finish in about the time of one', async () => {
    await writeAssembly(NAMES);
    deployed(NAMES);
    const startedAt = detection(2000);
    const parallel = await drift();
    expect(parallel.error).toBeUndefined();
    expect(parallel.result!.stacks.map((s) => s.status)).toEqual(Array(9).fill('IN_SYNC'));
    const starts = [...startedAt.values()];
    const spread = Math.max(...starts) - Math.min(...starts);
    expect(spread).toBeLessThan(500);
    // Measured on the fake clock: the whole run, detection included.
    expect(parallel.result!.durationMs).toBeLessThan(3000);
    expect(driftExitCode(parallel.result!)).toBe(0);

    const oneByOne = await drift({ concurrency: 1 });
    expect(oneByOne.result!.durationMs).toBeGreaterThanOrEqual(9 * 2000);
  });

  it('reports modified and deleted resources with their property differences, and what could not be checked', async () => {
    await writeAssembly(NAMES.slice(0, 2));
    deployed(NAMES.slice(0, 2));
    detection(100, (name) => (name === NAMES[1] ? [modifiedFunction(name), deletedQueue(name), uncheckable(name)] : [uncheckable(name)]));
    const { result } = await drift();
    const [clean, drifted] = result!.stacks;
    expect(clean).toMatchObject({ status: 'IN_SYNC', drifted: [], notChecked: [{ logicalId: 'Dashboard', type: 'AWS::CloudWatch::Dashboard' }] });
    expect(drifted!.status).toBe('DRIFTED');
    expect(drifted!.drifted).toEqual([
      {
        logicalId: 'ApiFunction',
        physicalId: 'orders-dev-api',
        type: 'AWS::Lambda::Function',
        status: 'MODIFIED',
        differences: [{ path: '/MemorySize', expected: '256', actual: '1024', kind: 'NOT_EQUAL' }],
      },
      expect.objectContaining({ logicalId: 'Queue', status: 'DELETED', differences: [] }),
    ]);
    expect(driftExitCode(result!)).toBe(2);
  });

  it('reports undeployed changes and undeployed stacks as drift', async () => {
    await writeAssembly(NAMES.slice(0, 2));
    deployed(NAMES.slice(0, 1));
    cfn.on(DescribeStacksCommand, { StackName: NAMES[1] }).rejects(
      Object.assign(new Error(`Stack with id ${NAMES[1]} does not exist`), { name: 'ValidationError', $metadata: { httpStatusCode: 400 } }),
    );
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify({ Resources: {} }) });
    detection(100);
    const { result } = await drift();
    expect(result!.stacks[0]).toMatchObject({ status: 'IN_SYNC', templateDrift: 'template changed' });
    expect(result!.stacks[1]).toMatchObject({ status: 'NOT_DEPLOYED', templateDrift: 'not deployed' });
    expect(cfn.commandCalls(DetectStackDriftCommand).map((c) => c.args[0].input.StackName)).toEqual([NAMES[0]]);
    expect(driftExitCode(result!)).toBe(2);
  });

  it('a failed detection is an error (exit 1) that still shows the resources it could check', async () => {
    await writeAssembly(NAMES.slice(0, 1));
    deployed(NAMES.slice(0, 1));
    detection(100, (name) => [modifiedFunction(name)], 'Failed to detect drift on resource [Queue]: Access denied for sqs:GetQueueAttributes');
    const { result } = await drift();
    expect(result!.stacks[0]).toMatchObject({
      status: 'FAILED',
      error: { code: 'DRIFT_DETECTION_FAILED', message: expect.stringContaining('Access denied for sqs:GetQueueAttributes') },
      drifted: [expect.objectContaining({ logicalId: 'ApiFunction' })],
    });
    expect(driftExitCode(result!)).toBe(1);
  });

  it('rides out throttled status polls', async () => {
    await writeAssembly(NAMES.slice(0, 1));
    deployed(NAMES.slice(0, 1));
    detection(100);
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
    cfn
      .on(DescribeStackDriftDetectionStatusCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .resolves({ StackId: stackId(NAMES[0]!), StackDriftDetectionId: 'drift-x', DetectionStatus: 'DETECTION_COMPLETE', StackDriftStatus: 'IN_SYNC', Timestamp: new Date() });
    const { result } = await drift();
    expect(result!.stacks[0]!.status).toBe('IN_SYNC');
    expect(cfn.commandCalls(DescribeStackDriftDetectionStatusCommand)).toHaveLength(3);
    expect(driftExitCode(result!)).toBe(0);
  });

  it('a detection that outlasts --timeout is an error (exit 1), never a verdict', async () => {
    await writeAssembly(NAMES.slice(0, 2));
    deployed(NAMES.slice(0, 2));
    detection(60_000);
    const { result } = await drift({ timeoutSeconds: 5 });
    expect(result!.stacks.map((s) => s.status)).toEqual(['FAILED', 'FAILED']);
    expect(result!.stacks[0]!.error).toMatchObject({ code: 'DRIFT_TIMEOUT', message: expect.stringContaining('did not finish in time') });
    expect(result!.durationMs).toBeLessThan(7000);
    expect(driftExitCode(result!)).toBe(1);
  });

  it('refuses credentials of another account before detecting anything', async () => {
    await writeAssembly(NAMES.slice(0, 1));
    deployed(NAMES.slice(0, 1));
    detection(100);
    sts.on(GetCallerIdentityCommand).resolves({ Account: '999999999999', Arn: 'arn:aws:iam::999999999999:user/ci', UserId: 'AIDAEXAMPLE' });
    const { error } = await drift();
    expect(error).toMatchObject({ code: 'WRONG_ACCOUNT' });
    expect(cfn.commandCalls(DetectStackDriftCommand)).toHaveLength(0);
  });
});
