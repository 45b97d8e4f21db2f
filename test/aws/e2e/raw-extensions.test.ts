import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ListQueueTagsCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spec3 } from '../../e2e/helpers.js';
import { awsEnv, useLocalAws } from '../../helpers/local-aws.js';
import { rawExtensions } from '../../stack/raw/config.js';
import { awsClient, editConfig, initProject } from './project.js';

type Loose = Record<string, any>;
interface Listed {
  phases: { stacks: { name: string; resources: number }[] }[];
}

/**
 * Raw CloudFormation through the built binary on the local AWS, along a stage's life: the raw
 * table (storage) and queues (messaging) of test/stack/raw/config.ts are counted by `list`,
 * deployed with the table's ARN read across stacks through SSM, shown by `status`, diffed after a
 * per-stage change (which names exactly that resource), redeployed, checked for drift, and
 * destroyed with the table retained (the stage keeps its data, and the table sets no policy).
 */
describe('raw CloudFormation on the local AWS', () => {
  const local = useLocalAws({ resetBeforeEach: false });
  let parent = '';
  let dir = '';
  let env: Record<string, string> = {};
  const run = (...args: string[]) => spec3(args, dir, env);
  const json = async <T>(...args: string[]): Promise<{ exitCode: number | undefined; all: string; body: T }> => {
    const r = await run(...args, '--json');
    return { exitCode: r.exitCode, all: r.all, body: JSON.parse(r.stdout) as T };
  };
  const physicalId = async (stack: string, logicalId: string) => {
    const out = await awsClient(CloudFormationClient, local.endpoint()).send(new ListStackResourcesCommand({ StackName: stack }));
    const found = out.StackResourceSummaries?.find((r) => r.LogicalResourceId === logicalId)?.PhysicalResourceId;
    if (!found) throw new Error(`${stack} has no resource ${logicalId}`);
    return found;
  };
  const counts = (listed: Listed) => Object.fromEntries(listed.phases.flatMap((p) => p.stacks.map((s) => [s.name.replace('demo-dev-', ''), s.resources])));
  let plain: Record<string, number> = {};

  beforeAll(async () => {
    await local.reset();
    env = awsEnv(local.endpoint());
    parent = await mkdtemp(path.join(os.tmpdir(), 'spec3-raw-'));
    dir = await initProject(parent);
    const before = await json<Listed>('list', 'dev');
    expect(before.exitCode, before.all).toBe(0);
    plain = counts(before.body);
    await editConfig(dir, (config) => {
      (config as Loose).extensions = rawExtensions();
      // dev keeps its data, as a protected stage does, without the typed confirmation of one.
      (config.stages.dev as Loose).retainData = true;
    });
  });

  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('list counts the raw resources in their stacks', async () => {
    const r = await json<Listed>('list', 'dev');
    expect(r.exitCode, r.all).toBe(0);
    const delta = Object.fromEntries(Object.entries(counts(r.body)).map(([k, v]) => [k, v - (plain[k] ?? 0)]).filter(([, d]) => d !== 0));
    // storage: the table and the SSM parameter publishing its ARN to messaging; messaging: two queues and a policy.
    expect(delta).toEqual({ storage: 2, messaging: 3 });
  });

  it('deploys them, reading the table ARN across stacks, and shows their outputs in status', async () => {
    expect((await run('bootstrap', 'dev')).exitCode).toBe(0);
    const deploy = await run('deploy', 'dev', '--yes');
    expect(deploy.exitCode, deploy.all).toBe(0);

    const tableName = await physicalId('demo-dev-storage', 'AuditTable');
    const table = (await awsClient(DynamoDBClient, local.endpoint()).send(new DescribeTableCommand({ TableName: tableName }))).Table!;
    expect(table.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const queueUrl = await physicalId('demo-dev-messaging', 'EventsQueue');
    const tags = (await awsClient(SQSClient, local.endpoint()).send(new ListQueueTagsCommand({ QueueUrl: queueUrl }))).Tags ?? {};
    expect(tags['audit-table']).toBe(table.TableArn);
    expect(tags['managed-by']).toBe('spec3');

    const status = await run('status', 'dev');
    expect(status.exitCode, status.all).toBe(0);
    expect(status.stdout).toContain('AuditTableName');
    expect(status.stdout).toContain(tableName);
    expect(status.stdout).toContain('EventsQueueUrl');

    const again = await run('diff', 'dev');
    expect(again.exitCode, again.all).toBe(0);
  });

  it("a stage's change to a raw resource: diff names exactly that resource, and the redeploy applies it", async () => {
    await editConfig(dir, (config) => {
      (config.stages.dev as Loose).extensions = { messaging: { resources: { EventsQueue: { Properties: { VisibilityTimeout: 45 } } } } };
    });
    const diff = await json<{ stacks: { name: string; status: string; resources: { logicalId: string; type: string; change: string }[] }[] }>('diff', 'dev');
    expect(diff.exitCode, diff.all).toBe(2);
    const changed = diff.body.stacks.filter((s) => s.status !== 'unchanged');
    expect(changed.map((s) => s.name)).toEqual(['demo-dev-messaging']);
    expect(changed[0]!.resources).toEqual([expect.objectContaining({ logicalId: 'EventsQueue', type: 'AWS::SQS::Queue', change: 'modify' })]);

    const deploy = await run('deploy', 'dev', '--yes');
    expect(deploy.exitCode, deploy.all).toBe(0);
    const queueUrl = await physicalId('demo-dev-messaging', 'EventsQueue');
    const attrs = (await awsClient(SQSClient, local.endpoint()).send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }))).Attributes!;
    expect(attrs.VisibilityTimeout).toBe('45');
    expect((await run('diff', 'dev')).exitCode).toBe(0);
  });

  it('drift sees a raw queue changed outside spec3', async () => {
    expect((await run('drift', 'dev')).exitCode).toBe(0);
    const queueUrl = await physicalId('demo-dev-messaging', 'EventsQueue');
    await awsClient(SQSClient, local.endpoint()).send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: '7' } }));
    const r = await json<{ stacks: { name: string; status: string; drifted: { logicalId: string; differences: { path: string; actual?: string }[] }[] }[] }>('drift', 'dev');
    expect(r.exitCode, r.all).toBe(2);
    const drifted = r.body.stacks.filter((s) => s.status === 'DRIFTED');
    expect(drifted.map((s) => s.name)).toEqual(['demo-dev-messaging']);
    expect(drifted[0]!.drifted).toEqual([expect.objectContaining({ logicalId: 'EventsQueue', differences: [expect.objectContaining({ path: '/VisibilityTimeout', actual: '7' })] })]);
    await awsClient(SQSClient, local.endpoint()).send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: '45' } }));
  });

  it('destroy lists the raw table as retained and leaves it in the account; the raw queues go', async () => {
    const tableName = await physicalId('demo-dev-storage', 'AuditTable');
    const r = await run('destroy', 'dev', '--force');
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`AWS::DynamoDB::Table +${tableName} +\\(demo-dev-storage AuditTable, Retain\\)`));
    expect(r.stdout).not.toMatch(/demo-dev-messaging EventsQueue/);
    const table = await awsClient(DynamoDBClient, local.endpoint()).send(new DescribeTableCommand({ TableName: tableName }));
    expect(table.Table?.TableStatus).toBe('ACTIVE');
  });
});
