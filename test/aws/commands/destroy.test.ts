import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CloudFormationClient, CreateStackCommand, DeleteStackCommand, DescribeStacksCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import { DeleteTableCommand, DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand, DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteParameterCommand, GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/commands/destroy/index.js';
import { TestIo } from '../../helpers/io.js';
import { awsEnv, clientConfig, useLocalAws } from '../../helpers/local-aws.js';
import { writeProject } from '../../helpers/project.js';
import { useTempDirs } from '../../helpers/tmp.js';

/**
 * destroy against a real CloudFormation API: the run's local AWS (moto 5.2.1 with the fixes in
 * local/, among them UpdateTerminationProtection and DELETE_FAILED), reset before each test.
 * The stacks avoid VPCs.
 */
const tempDir = useTempDirs();
const local = useLocalAws();

const cfn = () => new CloudFormationClient(clientConfig(local.endpoint()));
const s3 = () => new S3Client(clientConfig(local.endpoint()));
const ssm = () => new SSMClient(clientConfig(local.endpoint()));
const env = () => awsEnv(local.endpoint());

const DATA = 'orders-dev-data-123456789012-us-east-1';
const KEPT = 'orders-dev-kept-123456789012-us-east-1';

const storageTemplate = {
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: {
    DataBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: DATA }, DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' },
    KeptBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: KEPT }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
    OutBucketName: {
      Type: 'AWS::SSM::Parameter',
      Properties: { Name: '/spec3/orders/dev/storage/bucket-name', Type: 'String', Value: { Ref: 'DataBucket' } },
    },
  },
};

const computeTemplate = {
  AWSTemplateFormatVersion: '2010-09-09',
  Parameters: {
    SsmParameterValuespec3ordersdevstoragebucketname: {
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: '/spec3/orders/dev/storage/bucket-name',
    },
  },
  Resources: {
    OutReads: {
      Type: 'AWS::SSM::Parameter',
      Properties: { Name: '/spec3/orders/dev/compute/reads', Type: 'String', Value: { Ref: 'SsmParameterValuespec3ordersdevstoragebucketname' } },
    },
  },
};

async function createStack(name: string, template: object, terminationProtection = false): Promise<void> {
  const client = cfn();
  await client.send(
    new CreateStackCommand({ StackName: name, TemplateBody: JSON.stringify(template), EnableTerminationProtection: terminationProtection }),
  );
  await waitUntilStackCreateComplete({ client, maxWaitTime: 30, minDelay: 1 }, { StackName: name });
}

async function bucketExists(bucket: string): Promise<boolean> {
  try {
    await s3().send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

async function stackExists(name: string): Promise<boolean> {
  try {
    await cfn().send(new DescribeStacksCommand({ StackName: name }));
    return true;
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return false;
    throw error;
  }
}

describe('destroy against moto', () => {
  it('empties and deletes the versioned bucket, keeps the retained one, deletes app before foundation', async () => {
    const dir = await tempDir();
    await writeProject(dir);
    await createStack('orders-dev-storage', storageTemplate);
    await createStack('orders-dev-compute', computeTemplate);
    const bucket = s3();
    await bucket.send(new PutBucketVersioningCommand({ Bucket: DATA, VersioningConfiguration: { Status: 'Enabled' } }));
    // 1010 keys (more than one listing page), a second version of one, and a delete marker.
    for (let i = 0; i < 1010; i += 101) {
      await Promise.all(
        Array.from({ length: Math.min(101, 1010 - i) }, (_, j) => bucket.send(new PutObjectCommand({ Bucket: DATA, Key: `logs/${i + j}.txt`, Body: 'x' }))),
      );
    }
    await bucket.send(new PutObjectCommand({ Bucket: DATA, Key: 'logs/0.txt', Body: 'second version' }));
    await bucket.send(new DeleteObjectCommand({ Bucket: DATA, Key: 'logs/1.txt' }));
    const listed = await bucket.send(new ListObjectVersionsCommand({ Bucket: DATA, MaxKeys: 1000 }));
    expect(listed.IsTruncated).toBe(true);
    await bucket.send(new PutObjectCommand({ Bucket: KEPT, Key: 'keep.txt', Body: 'keep me' }));
    const outputs = path.join(dir, '.spec3', 'dev', 'outputs.json');
    await mkdir(path.dirname(outputs), { recursive: true });
    await writeFile(outputs, JSON.stringify({ 'orders-dev-compute': {}, 'orders-dev-storage': { BucketName: DATA } }));

    const io = new TestIo({ DESTROY_CONFIRM: 'dev' });
    const result = await run({ stage: 'dev' }, { cwd: dir, io, env: env() });

    expect(io.asked.map((q) => q.code)).toEqual(['DESTROY_CONFIRM']);
    const done = io.events.filter((e) => e.code === 'STACK_DONE').map((e) => (e.data as { stack: string }).stack);
    expect(done).toEqual(['orders-dev-compute', 'orders-dev-storage']);
    expect(result.phases.map((p) => [p.phase, p.stacks.map((s) => `${s.name} ${s.status}`)])).toEqual([
      ['app', ['orders-dev-compute deleted']],
      ['foundation', ['orders-dev-storage deleted']],
    ]);
    expect(result.emptied).toEqual([{ stack: 'orders-dev-storage', bucket: DATA, objects: 1012 }]);
    expect(result.retained).toEqual([{ stack: 'orders-dev-storage', logicalId: 'KeptBucket', type: 'AWS::S3::Bucket', physicalId: KEPT, policy: 'Retain' }]);

    expect(await stackExists('orders-dev-storage')).toBe(false);
    expect(await stackExists('orders-dev-compute')).toBe(false);
    expect(await bucketExists(DATA)).toBe(false);
    expect(await bucketExists(KEPT)).toBe(true);
    const kept = await bucket.send(new ListObjectVersionsCommand({ Bucket: KEPT }));
    expect(kept.Versions?.map((v) => v.Key)).toEqual(['keep.txt']);
    await expect(ssm().send(new GetParameterCommand({ Name: '/spec3/orders/dev/storage/bucket-name' }))).rejects.toMatchObject({
      name: 'ParameterNotFound',
    });
    expect(JSON.parse(await readFile(outputs, 'utf8'))).toEqual({});
  });

  it('refuses --phase foundation while the app phase is deployed, and changes nothing', async () => {
    const dir = await tempDir();
    await writeProject(dir);
    await createStack('orders-dev-storage', storageTemplate);
    await createStack('orders-dev-compute', computeTemplate);
    const io = new TestIo({ DESTROY_CONFIRM: 'dev' });
    await expect(run({ stage: 'dev', phase: 'foundation' }, { cwd: dir, io, env: env() })).rejects.toMatchObject({
      code: 'DESTROY_LATER_PHASE_DEPLOYED',
    });
    expect(io.asked).toHaveLength(0);
    expect(await stackExists('orders-dev-storage')).toBe(true);
    expect(await bucketExists(DATA)).toBe(true);
  });

  it('declined: nothing is emptied or deleted', async () => {
    const dir = await tempDir();
    await writeProject(dir);
    await createStack('orders-dev-storage', storageTemplate);
    await s3().send(new PutObjectCommand({ Bucket: DATA, Key: 'a.txt', Body: 'a' }));
    const io = new TestIo({ DESTROY_CONFIRM: 'no' });
    await expect(run({ stage: 'dev' }, { cwd: dir, io, env: env() })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(await stackExists('orders-dev-storage')).toBe(true);
    const listed = await s3().send(new ListObjectVersionsCommand({ Bucket: DATA }));
    expect(listed.Versions).toHaveLength(1);
  });

  it('DELETE_FAILED: the reason from the events, and the foundation phase (and its data) untouched', async () => {
    const dir = await tempDir();
    await writeProject(dir);
    await createStack('orders-dev-storage', storageTemplate);
    await createStack('orders-dev-compute', computeTemplate);
    await s3().send(new PutObjectCommand({ Bucket: DATA, Key: 'a.txt', Body: 'a' }));
    // Removed behind CloudFormation's back: the emulator then fails to delete it.
    await ssm().send(new DeleteParameterCommand({ Name: '/spec3/orders/dev/compute/reads' }));
    const io = new TestIo({ DESTROY_CONFIRM: 'dev' });
    const error = await run({ stage: 'dev' }, { cwd: dir, io, env: env() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STACK_DELETE_FAILED' });
    expect((error as Error).message).toContain('orders-dev-compute is DELETE_FAILED');
    expect((error as Error).message).toContain('OutReads (AWS::SSM::Parameter)');
    expect((error as { hint: string }).hint).toContain('Not deleted: orders-dev-storage.');
    const status = await cfn().send(new DescribeStacksCommand({ StackName: 'orders-dev-compute' }));
    expect(status.Stacks?.[0]?.StackStatus).toBe('DELETE_FAILED');
    expect(await stackExists('orders-dev-storage')).toBe(true);
    const listed = await s3().send(new ListObjectVersionsCommand({ Bucket: DATA }));
    expect(listed.Versions?.map((v) => v.Key)).toEqual(['a.txt']);
  });

  it('a protected stage: refused without --allow-protected; with it, protection is lifted and the stacks deleted', async () => {
    const dir = await tempDir();
    await writeProject(dir);
    const prodStorage = JSON.parse(JSON.stringify(storageTemplate).replaceAll('orders-dev-', 'orders-prod-').replaceAll('/dev/', '/prod/'));
    await createStack('orders-prod-storage', prodStorage, true);

    const refused = new TestIo({ DESTROY_CONFIRM: 'prod' });
    await expect(run({ stage: 'prod', force: true }, { cwd: dir, io: refused, env: env() })).rejects.toMatchObject({ code: 'DESTROY_PROTECTED' });
    expect(refused.asked).toHaveLength(0);
    const before = await cfn().send(new DescribeStacksCommand({ StackName: 'orders-prod-storage' }));
    expect(before.Stacks?.[0]?.EnableTerminationProtection).toBe(true);

    const io = new TestIo({ DESTROY_CONFIRM: 'prod' });
    const result = await run({ stage: 'prod', allowProtected: true }, { cwd: dir, io, env: env() });
    expect(io.asked.map((q) => q.code)).toEqual(['DESTROY_CONFIRM']);
    expect(result.phases[0]!.stacks[0]).toMatchObject({ name: 'orders-prod-storage', status: 'deleted' });
    expect(await stackExists('orders-prod-storage')).toBe(false);
    expect(await bucketExists('orders-prod-kept-123456789012-us-east-1')).toBe(true);
  });
});

describe('destroy against moto: tables', () => {
  const TABLE = 'orders-dev-table';
  const tableTemplate = {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      DataBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: DATA }, DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' },
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: TABLE,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        },
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
      },
    },
  };
  const dynamo = () => new DynamoDBClient(clientConfig(local.endpoint()));

  it('a DELETE_FAILED stack whose failed table is already gone is finished, retaining exactly that table', async () => {
    const dir = await tempDir();
    await writeProject(dir);
    await createStack('orders-dev-storage', tableTemplate);
    await dynamo().send(new UpdateTableCommand({ TableName: TABLE, DeletionProtectionEnabled: true }));
    await cfn().send(new DeleteStackCommand({ StackName: 'orders-dev-storage' }));
    const failed = await cfn().send(new DescribeStacksCommand({ StackName: 'orders-dev-storage' }));
    expect(failed.Stacks?.[0]?.StackStatus).toBe('DELETE_FAILED');
    // The operator removes the table by hand; the stack still lists it as DELETE_FAILED.
    await dynamo().send(new UpdateTableCommand({ TableName: TABLE, DeletionProtectionEnabled: false }));
    await dynamo().send(new DeleteTableCommand({ TableName: TABLE }));

    const io = new TestIo({ DESTROY_CONFIRM: 'dev' });
    const result = await run({ stage: 'dev' }, { cwd: dir, io, env: env() });
    expect(result.phases[0]!.stacks[0]).toMatchObject({ name: 'orders-dev-storage', status: 'deleted', previousStatus: 'DELETE_FAILED', retainedGone: ['Table'] });
    const plan = io.events.find((e) => e.code === 'DESTROY_PLAN')!.data as { finishing: unknown };
    expect(plan.finishing).toEqual([{ stack: 'orders-dev-storage', retain: ['Table'] }]);
    expect(await stackExists('orders-dev-storage')).toBe(false);
  });
});
