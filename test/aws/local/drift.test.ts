import {
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
  DetectStackResourceDriftCommand,
  ListStackResourcesCommand,
  type StackResourceDriftStatus,
} from '@aws-sdk/client-cloudformation';
import { DescribeContinuousBackupsCommand, DescribeTimeToLiveCommand, DynamoDBClient, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, DeleteBucketCommand, PutBucketTaggingCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, inject, it } from 'vitest';
import { clientConfig } from '../../helpers/local-aws.js';
import { outcome, SERVER_CRASH, useMotoPair, type Aws } from './moto-pair.js';

/**
 * drift_detection (with drift_resources) and dynamodb_table_settings in local/patches/: the bug on
 * moto as installed, then drift detection on the patched server, through the SDK calls a drift
 * command makes.
 */
const { stock, patched } = useMotoPair();

const STACK = 'orders';

/** One resource of each type drift detection checks, two it does not (Role, Topic), a parameter and a GetAtt. */
const template = {
  Parameters: { Stage: { Type: 'String', Default: 'dev' } },
  Resources: {
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
      },
    },
    Function: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Runtime: 'python3.12',
        Handler: 'index.handler',
        Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
        Code: { ZipFile: 'def handler(event, context):\n    return {}\n' },
        MemorySize: '128',
        Timeout: 30,
        Description: 'orders api',
        Environment: { Variables: { STAGE: { Ref: 'Stage' } } },
      },
    },
    Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: '45', DelaySeconds: 2 } },
    Parameter: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/orders/stage', Type: 'String', Value: { Ref: 'Stage' }, Description: 'stage name' } },
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expires', Enabled: 'true' },
        DeletionProtectionEnabled: false,
      },
    },
    Bucket: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' }, Tags: [{ Key: 'team', Value: 'orders' }] } },
    Topic: { Type: 'AWS::SNS::Topic' },
  },
};

/** Lambda, SQS and DynamoDB clients for the patched server (the pair's clients lack them). */
function moreClients() {
  const config = clientConfig(inject('localAwsEndpoint'));
  return { lambda: new LambdaClient(config), sqs: new SQSClient(config), dynamodb: new DynamoDBClient(config) };
}

async function physicalIds(aws: Aws): Promise<Record<string, string>> {
  const out = await aws.cfn.send(new ListStackResourcesCommand({ StackName: STACK }));
  return Object.fromEntries((out.StackResourceSummaries ?? []).map((r) => [r.LogicalResourceId!, r.PhysicalResourceId!]));
}

async function detect(aws: Aws) {
  const { StackDriftDetectionId } = await aws.cfn.send(new DetectStackDriftCommand({ StackName: STACK }));
  const status = await aws.cfn.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId }));
  return { id: StackDriftDetectionId, status };
}

async function resourceDrifts(aws: Aws, filters?: StackResourceDriftStatus[]) {
  const out = await aws.cfn.send(new DescribeStackResourceDriftsCommand({ StackName: STACK, StackResourceDriftStatusFilters: filters }));
  return out.StackResourceDrifts ?? [];
}

/** Logical id -> drift status, from DescribeStackResourceDrifts. */
async function statuses(aws: Aws): Promise<Record<string, string | undefined>> {
  return Object.fromEntries((await resourceDrifts(aws)).map((d) => [d.LogicalResourceId!, d.StackResourceDriftStatus]));
}

const allInSync = { Function: 'IN_SYNC', Queue: 'IN_SYNC', Parameter: 'IN_SYNC', Table: 'IN_SYNC', Bucket: 'IN_SYNC' };

describe('drift_detection', () => {
  it('stock moto implements no drift operation: each is an HTML 500', async () => {
    const queueOnly = { Resources: { Queue: template.Resources.Queue } };
    for (const aws of [stock(), patched()]) await aws.deployByChangeSet(STACK, 'CREATE', queueOnly);
    // One after the other: the detection must be done before its results are asked for.
    const ask = async (aws: Aws) => ({
      detect: await outcome(aws.cfn.send(new DetectStackDriftCommand({ StackName: STACK }))),
      resource: await outcome(aws.cfn.send(new DetectStackResourceDriftCommand({ StackName: STACK, LogicalResourceId: 'Queue' }))),
      drifts: await outcome(aws.cfn.send(new DescribeStackResourceDriftsCommand({ StackName: STACK }))),
    });
    const before = await ask(stock());
    expect(before.detect).toMatchObject(SERVER_CRASH);
    expect(before.resource).toMatchObject(SERVER_CRASH);
    expect(before.drifts).toMatchObject(SERVER_CRASH);
    expect((await stock().stack(STACK)).DriftInformation).toBeUndefined();

    expect((await patched().stack(STACK)).DriftInformation).toEqual({ StackDriftStatus: 'NOT_CHECKED' });
    const after = await ask(patched());
    expect(after.detect).toMatchObject({ ok: true, value: { StackDriftDetectionId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    expect(after.resource).toMatchObject({ ok: true, value: { StackResourceDrift: { LogicalResourceId: 'Queue', StackResourceDriftStatus: 'IN_SYNC' } } });
    expect(after.drifts).toMatchObject({ ok: true, value: { StackResourceDrifts: [{ LogicalResourceId: 'Queue', StackResourceDriftStatus: 'IN_SYNC' }] } });
  });

  it('a stack as deployed is IN_SYNC; types drift detection does not support are NOT_CHECKED and not listed', async () => {
    const aws = patched();
    await aws.deployByChangeSet(STACK, 'CREATE', template);
    const stack = await aws.stack(STACK);
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');

    const { id, status } = await detect(aws);
    expect(status).toMatchObject({
      StackId: stack.StackId,
      StackDriftDetectionId: id,
      StackDriftStatus: 'IN_SYNC',
      DetectionStatus: 'DETECTION_COMPLETE',
      DriftedStackResourceCount: 0,
      Timestamp: expect.any(Date),
    });
    expect(status.DetectionStatusReason).toBeUndefined();
    expect(await statuses(aws)).toEqual(allInSync);

    const ids = await physicalIds(aws);
    const [fn] = await resourceDrifts(aws, ['IN_SYNC']).then((all) => all.filter((d) => d.LogicalResourceId === 'Function'));
    expect(fn).toMatchObject({ StackId: stack.StackId, PhysicalResourceId: ids.Function, ResourceType: 'AWS::Lambda::Function', Timestamp: expect.any(Date) });
    expect(fn!.PropertyDifferences).toBeUndefined();
    // The template's values as deployed: the parameter resolved, "128" read as the number it is.
    const expected = { Description: 'orders api', Environment: { Variables: { STAGE: 'dev' } }, Handler: 'index.handler', MemorySize: 128, Runtime: 'python3.12', Timeout: 30 };
    expect(JSON.parse(fn!.ExpectedProperties!)).toEqual(expected);
    expect(JSON.parse(fn!.ActualProperties!)).toEqual(expected);

    const listed = await aws.cfn.send(new ListStackResourcesCommand({ StackName: STACK }));
    const drift = Object.fromEntries((listed.StackResourceSummaries ?? []).map((r) => [r.LogicalResourceId, r.DriftInformation?.StackResourceDriftStatus]));
    expect(drift).toEqual({ ...allInSync, Role: 'NOT_CHECKED', Topic: 'NOT_CHECKED' });
    expect((await aws.stack(STACK)).DriftInformation).toEqual({ StackDriftStatus: 'IN_SYNC', LastCheckTimestamp: status.Timestamp });
  });

  it('changes made outside the stack are MODIFIED with their differences; a deleted bucket is DELETED; reverting them is IN_SYNC', async () => {
    const aws = patched();
    const { lambda, sqs } = moreClients();
    await aws.deployByChangeSet(STACK, 'CREATE', template);
    const ids = await physicalIds(aws);

    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: ids.Function, MemorySize: 256 }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: ids.Queue, Attributes: { VisibilityTimeout: '60' } }));
    await aws.ssm.send(new PutParameterCommand({ Name: '/orders/stage', Value: 'prod', Overwrite: true }));
    await aws.s3.send(new DeleteBucketCommand({ Bucket: ids.Bucket }));

    const { status } = await detect(aws);
    expect(status).toMatchObject({ StackDriftStatus: 'DRIFTED', DetectionStatus: 'DETECTION_COMPLETE', DriftedStackResourceCount: 4 });
    const drifted = (await resourceDrifts(aws, ['MODIFIED', 'DELETED'])).map((d) => ({
      id: d.LogicalResourceId,
      status: d.StackResourceDriftStatus,
      differences: d.PropertyDifferences,
    }));
    expect(drifted).toEqual([
      { id: 'Function', status: 'MODIFIED', differences: [{ PropertyPath: '/MemorySize', ExpectedValue: '128', ActualValue: '256', DifferenceType: 'NOT_EQUAL' }] },
      { id: 'Queue', status: 'MODIFIED', differences: [{ PropertyPath: '/VisibilityTimeout', ExpectedValue: '45', ActualValue: '60', DifferenceType: 'NOT_EQUAL' }] },
      { id: 'Parameter', status: 'MODIFIED', differences: [{ PropertyPath: '/Value', ExpectedValue: 'dev', ActualValue: 'prod', DifferenceType: 'NOT_EQUAL' }] },
      { id: 'Bucket', status: 'DELETED', differences: undefined },
    ]);
    const [bucket] = await resourceDrifts(aws, ['DELETED']);
    expect(bucket).toMatchObject({ PhysicalResourceId: ids.Bucket, ResourceType: 'AWS::S3::Bucket' });
    expect(bucket!.ExpectedProperties).toBeUndefined();
    expect(JSON.parse((await resourceDrifts(aws, ['MODIFIED']))[0]!.ActualProperties!)).toMatchObject({ MemorySize: 256 });
    expect(await statuses(aws)).toEqual({ ...allInSync, Function: 'MODIFIED', Queue: 'MODIFIED', Parameter: 'MODIFIED', Bucket: 'DELETED' });
    expect((await aws.stack(STACK)).DriftInformation?.StackDriftStatus).toBe('DRIFTED');

    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: ids.Function, MemorySize: 128 }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: ids.Queue, Attributes: { VisibilityTimeout: '45' } }));
    await aws.ssm.send(new PutParameterCommand({ Name: '/orders/stage', Value: 'dev', Overwrite: true }));
    await aws.s3.send(new CreateBucketCommand({ Bucket: ids.Bucket }));
    await aws.s3.send(new PutBucketVersioningCommand({ Bucket: ids.Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await aws.s3.send(new PutBucketTaggingCommand({ Bucket: ids.Bucket, Tagging: { TagSet: [{ Key: 'team', Value: 'orders' }] } }));

    const again = await detect(aws);
    expect(again.status).toMatchObject({ StackDriftStatus: 'IN_SYNC', DriftedStackResourceCount: 0 });
    expect(await statuses(aws)).toEqual(allInSync);
    expect((await aws.stack(STACK)).DriftInformation?.StackDriftStatus).toBe('IN_SYNC');
  });

  it('nested properties differ at their own path; an added environment variable is ADD', async () => {
    const aws = patched();
    const { lambda, dynamodb } = moreClients();
    await aws.deployByChangeSet(STACK, 'CREATE', template);
    const ids = await physicalIds(aws);
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: ids.Function, Environment: { Variables: { STAGE: 'prod', DEBUG: '1' } } }));
    await dynamodb.send(new UpdateContinuousBackupsCommand({ TableName: ids.Table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }));

    await detect(aws);
    const differences = Object.fromEntries((await resourceDrifts(aws, ['MODIFIED'])).map((d) => [d.LogicalResourceId, d.PropertyDifferences]));
    expect(differences).toEqual({
      Function: [
        { PropertyPath: '/Environment/Variables/STAGE', ExpectedValue: 'dev', ActualValue: 'prod', DifferenceType: 'NOT_EQUAL' },
        { PropertyPath: '/Environment/Variables/DEBUG', ExpectedValue: 'null', ActualValue: '1', DifferenceType: 'ADD' },
      ],
      Table: [
        { PropertyPath: '/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled', ExpectedValue: 'true', ActualValue: 'false', DifferenceType: 'NOT_EQUAL' },
      ],
    });
  });

  it('DetectStackResourceDrift checks one resource; a type without drift support is NOT_CHECKED', async () => {
    const aws = patched();
    const { sqs } = moreClients();
    await aws.deployByChangeSet(STACK, 'CREATE', template);
    const ids = await physicalIds(aws);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: ids.Queue, Attributes: { DelaySeconds: '5' } }));

    const queue = await aws.cfn.send(new DetectStackResourceDriftCommand({ StackName: STACK, LogicalResourceId: 'Queue' }));
    expect(queue.StackResourceDrift).toMatchObject({
      LogicalResourceId: 'Queue',
      PhysicalResourceId: ids.Queue,
      ResourceType: 'AWS::SQS::Queue',
      StackResourceDriftStatus: 'MODIFIED',
      PropertyDifferences: [{ PropertyPath: '/DelaySeconds', ExpectedValue: '2', ActualValue: '5', DifferenceType: 'NOT_EQUAL' }],
    });
    expect(await statuses(aws)).toEqual({ Queue: 'MODIFIED' });

    const topic = await aws.cfn.send(new DetectStackResourceDriftCommand({ StackName: STACK, LogicalResourceId: 'Topic' }));
    expect(topic.StackResourceDrift).toMatchObject({ LogicalResourceId: 'Topic', ResourceType: 'AWS::SNS::Topic', StackResourceDriftStatus: 'NOT_CHECKED' });
    expect(await outcome(aws.cfn.send(new DetectStackResourceDriftCommand({ StackName: STACK, LogicalResourceId: 'Nope' })))).toMatchObject({
      ok: false,
      name: 'ValidationError',
      message: `Resource Nope does not exist for stack ${STACK}`,
    });
  });

  it('an unknown detection id or stack is a ValidationError', async () => {
    const aws = patched();
    expect(await outcome(aws.cfn.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: 'b0c8e2a4-0000-4000-8000-000000000000' })))).toMatchObject({
      ok: false,
      name: 'ValidationError',
      message: expect.stringContaining('b0c8e2a4-0000-4000-8000-000000000000'),
      status: 400,
    });
    const missing = { ok: false, name: 'ValidationError', message: 'Stack with id nope does not exist', status: 400 };
    expect(await outcome(aws.cfn.send(new DetectStackDriftCommand({ StackName: 'nope' })))).toEqual(missing);
    expect(await outcome(aws.cfn.send(new DescribeStackResourceDriftsCommand({ StackName: 'nope' })))).toEqual(missing);
  });
});

describe('dynamodb_table_settings', () => {
  it('a table created by a stack gets the point-in-time recovery and TTL its template sets', async () => {
    const tableOnly = { Resources: { Table: template.Resources.Table } };
    const settings = async (aws: Aws, dynamodb: DynamoDBClient) => {
      const { Table } = await physicalIds(aws);
      const backups = await dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: Table }));
      const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: Table }));
      return {
        recovery: backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus,
        ttl: ttl.TimeToLiveDescription?.TimeToLiveStatus,
        ttlAttribute: ttl.TimeToLiveDescription?.AttributeName,
      };
    };
    for (const aws of [stock(), patched()]) await aws.deployByChangeSet(STACK, 'CREATE', tableOnly);
    const stockDynamo = new DynamoDBClient(clientConfig(await endpointOf(stock())));
    expect(await settings(stock(), stockDynamo)).toEqual({ recovery: 'DISABLED', ttl: 'DISABLED', ttlAttribute: undefined });
    expect(await settings(patched(), moreClients().dynamodb)).toEqual({ recovery: 'ENABLED', ttl: 'ENABLED', ttlAttribute: 'expires' });
  });
});

/** The endpoint a pair's clients talk to. */
async function endpointOf(aws: Aws): Promise<string> {
  const endpoint = await aws.cfn.config.endpoint!();
  return `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`;
}
