import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { GetMethodCommand, GetRestApisCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import {
  CreateStackCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListExportsCommand,
  ListStackResourcesCommand,
  UpdateStackCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import { DeleteTableCommand, DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateSubnetCommand, DeleteSubnetCommand, DescribeInternetGatewaysCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DescribeKeyCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { GetBucketVersioningCommand } from '@aws-sdk/client-s3';
import { ListTagsForResourceCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { outcome, SERVER_CRASH, useMotoPair, type Aws } from './moto-pair.js';

/**
 * Each fix in local/patches/, shown twice: the bug on moto as installed, then the behaviour of the
 * patched server, through the same SDK calls spec3 makes.
 */
const { stock, patched } = useMotoPair();

const queueWithExport = {
  Resources: { Queue: { Type: 'AWS::SQS::Queue' } },
  Outputs: { QueueUrl: { Value: { Ref: 'Queue' }, Export: { Name: 'queue-url' } } },
};

/** A method on the root resource of the template's RestApi `Api`. */
function rootMethod(httpMethod: string, integration: object) {
  return {
    Type: 'AWS::ApiGateway::Method',
    Properties: {
      RestApiId: { Ref: 'Api' },
      ResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
      HttpMethod: httpMethod,
      AuthorizationType: 'NONE',
      Integration: integration,
    },
  };
}

/** An API whose Deployment comes first in the template and must wait for its Method (DependsOn). */
const apiWithDeployment = {
  Resources: {
    Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' } }, DependsOn: ['Method'] },
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'orders' } },
    Method: rootMethod('GET', { Type: 'HTTP', IntegrationHttpMethod: 'GET', Uri: 'http://example.com' }),
  },
};

/** A Deployment of an API without methods: API Gateway refuses it, so the stack fails. */
const failingDeployment = {
  Resources: {
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'empty' } },
    Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' } } },
  },
};

const vpcOnly = { Resources: { Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } } } };

const publicNetwork = {
  Resources: {
    ...vpcOnly.Resources,
    Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24' } },
    RouteTable: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
    Association: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: 'Subnet' }, RouteTableId: { Ref: 'RouteTable' } } },
    Gateway: { Type: 'AWS::EC2::InternetGateway' },
    Attachment: { Type: 'AWS::EC2::VPCGatewayAttachment', Properties: { VpcId: { Ref: 'Vpc' }, InternetGatewayId: { Ref: 'Gateway' } } },
    DefaultRoute: {
      Type: 'AWS::EC2::Route',
      Properties: { RouteTableId: { Ref: 'RouteTable' }, DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'Gateway' } },
      DependsOn: ['Attachment'],
    },
  },
};

const namedQueue = {
  Parameters: { QueueName: { Type: 'String', Default: 'orders' } },
  Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { Ref: 'QueueName' } } } },
};

const ssmTypedParameter = {
  Parameters: {
    TableName: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/spec3/demo/dev/table-name' },
    Secret: { Type: 'String', NoEcho: true, Default: 'hunter2' },
  },
  Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { Ref: 'TableName' } } } },
};

async function customVpcs(aws: Aws): Promise<string[]> {
  const out = await aws.ec2.send(new DescribeVpcsCommand({}));
  return (out.Vpcs ?? []).filter((v) => !v.IsDefault).map((v) => v.VpcId!);
}

async function restApis(aws: Aws): Promise<string[]> {
  return ((await aws.apigateway.send(new GetRestApisCommand({}))).items ?? []).map((a) => a.name!);
}

describe('json_templates', () => {
  // Raw text: JSON.stringify would not write the escapes CloudFormation must understand.
  const body = '{"Description": "orders \\ud83d\\ude80", "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}';
  const describeAfterCreate = async (aws: Aws) => {
    await aws.cfn.send(new CreateStackCommand({ StackName: 'emoji', TemplateBody: body }));
    return outcome(aws.stack('emoji'));
  };

  it('a JSON template is read as JSON: a surrogate-pair escape is one character, not two broken ones', async () => {
    expect(await describeAfterCreate(stock())).toMatchObject(SERVER_CRASH);
    expect(await describeAfterCreate(patched())).toMatchObject({ ok: true, value: { Description: 'orders \u{1F680}' } });
  });

  it('a YAML template is still read as YAML', async () => {
    const yaml = 'Description: plain\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n';
    await patched().cfn.send(new CreateStackCommand({ StackName: 'yaml', TemplateBody: yaml }));
    expect((await patched().stack('yaml')).Description).toBe('plain');
  });
});

describe('change_set_not_found', () => {
  it('an unknown change set is ChangeSetNotFound (HTTP 404) for describe, delete and execute', async () => {
    const ask = (aws: Aws) => ({
      describe: outcome(aws.cfn.send(new DescribeChangeSetCommand({ StackName: 'orders', ChangeSetName: 'nope' }))),
      delete: outcome(aws.cfn.send(new DeleteChangeSetCommand({ StackName: 'orders', ChangeSetName: 'nope' }))),
      execute: outcome(aws.executeChangeSet('orders', 'nope')),
    });
    const before = ask(stock());
    expect(await before.describe).toMatchObject({ name: 'ValidationError', message: 'Stack with id nope does not exist' });
    expect(await before.delete).toMatchObject(SERVER_CRASH);
    expect(await before.execute).toMatchObject(SERVER_CRASH);
    const after = ask(patched());
    const notFound = { ok: false, name: 'ChangeSetNotFoundException', message: 'ChangeSet [nope] does not exist', status: 404 };
    expect(await after.describe).toEqual(notFound);
    expect(await after.delete).toEqual(notFound);
    expect(await after.execute).toEqual(notFound);
  });

  it('a change set name is looked up within the stack named with it', async () => {
    for (const aws of [stock(), patched()]) {
      await aws.createChangeSet('first', 'CREATE', queueWithExport);
      await aws.createChangeSet('second', 'CREATE', { Resources: { Topic: { Type: 'AWS::SNS::Topic' } } });
    }
    const stackOf = async (aws: Aws) => (await aws.cfn.send(new DescribeChangeSetCommand({ StackName: 'first', ChangeSetName: 'deploy' }))).StackName;
    expect(await stackOf(stock())).toBe('second');
    expect(await stackOf(patched())).toBe('first');
  });
});

describe('execute_change_set', () => {
  it('a stack created or updated by a change set gets its outputs and exports', async () => {
    const updated = { ...queueWithExport, Outputs: { ...queueWithExport.Outputs, Extra: { Value: 'x', Export: { Name: 'extra' } } } };
    const exportNames = async (aws: Aws) => ((await aws.cfn.send(new ListExportsCommand({}))).Exports ?? []).map((e) => e.Name).sort();
    for (const aws of [stock(), patched()]) await aws.deployByChangeSet('queue', 'CREATE', queueWithExport);
    expect((await stock().stack('queue')).Outputs).toBeUndefined();
    expect(await exportNames(stock())).toEqual([]);
    expect(await patched().outputs('queue')).toEqual({ QueueUrl: expect.stringMatching(/^https:\/\/sqs\.us-east-1\.amazonaws\.com\/123456789012\/queue-Queue-/) });
    expect(await exportNames(patched())).toEqual(['queue-url']);

    await patched().deployByChangeSet('queue', 'UPDATE', updated);
    expect((await patched().stack('queue')).StackStatus).toBe('UPDATE_COMPLETE');
    expect(await patched().outputs('queue')).toMatchObject({ Extra: 'x' });
    expect(await exportNames(patched())).toEqual(['extra', 'queue-url']);
    const template = await patched().cfn.send(new GetTemplateCommand({ StackName: 'queue' }));
    expect(JSON.parse(template.TemplateBody!)).toEqual(updated);
  });

  it('resources are created in DependsOn order', async () => {
    expect(await outcome(stock().deployByChangeSet('api', 'CREATE', apiWithDeployment))).toMatchObject({ ok: false, status: 400 });
    expect((await stock().stack('api')).StackStatus).toBe('REVIEW_IN_PROGRESS');
    await patched().deployByChangeSet('api', 'CREATE', apiWithDeployment);
    expect((await patched().stack('api')).StackStatus).toBe('CREATE_COMPLETE');
  });

  it('a change set that is not AVAILABLE cannot be executed', async () => {
    for (const aws of [stock(), patched()]) {
      await aws.createStack('queue', queueWithExport);
      await aws.createChangeSet('queue', 'UPDATE', queueWithExport, 'same');
    }
    const status = await patched().cfn.send(new DescribeChangeSetCommand({ StackName: 'queue', ChangeSetName: 'same' }));
    expect(status).toMatchObject({ Status: 'FAILED', ExecutionStatus: 'UNAVAILABLE' });
    expect(await outcome(stock().executeChangeSet('queue', 'same'))).toMatchObject({ ok: true });
    expect(await outcome(patched().executeChangeSet('queue', 'same'))).toMatchObject({
      ok: false,
      name: 'InvalidChangeSetStatusException',
      message: expect.stringMatching(/^ChangeSet \[arn:aws:cloudformation:.*\] cannot be executed in its current status of \[FAILED\]$/),
    });
  });
});

describe('execution_failure', () => {
  it('a resource failing while a change set creates the stack rolls it back, with the reason in an event', async () => {
    expect(await outcome(stock().deployByChangeSet('api', 'CREATE', failingDeployment))).toMatchObject({ ok: false });
    expect((await stock().stack('api')).StackStatus).toBe('REVIEW_IN_PROGRESS');

    expect(await outcome(patched().deployByChangeSet('api', 'CREATE', failingDeployment))).toMatchObject({ ok: true });
    const stack = await patched().stack('api');
    expect(stack).toMatchObject({ StackStatus: 'ROLLBACK_COMPLETE', StackStatusReason: expect.stringContaining('[Deployment]') });
    expect((await patched().events('api')).slice(0, 3)).toEqual([
      { id: 'api', status: 'ROLLBACK_COMPLETE', reason: undefined },
      { id: 'api', status: 'ROLLBACK_IN_PROGRESS', reason: 'The following resource(s) failed to create: [Deployment]. Rollback requested by user.' },
      { id: 'Deployment', status: 'CREATE_FAILED', reason: "The REST API doesn't contain any methods" },
    ]);
    const changeSet = await patched().cfn.send(new DescribeChangeSetCommand({ StackName: 'api', ChangeSetName: 'deploy' }));
    expect(changeSet.ExecutionStatus).toBe('EXECUTE_FAILED');
    expect(await restApis(patched())).toEqual([]);
  });

  it('a resource failing while a change set updates the stack ends UPDATE_ROLLBACK_COMPLETE on the previous template', async () => {
    const withDeployment = { Resources: { ...queueWithExport.Resources, ...failingDeployment.Resources } };
    for (const aws of [stock(), patched()]) await aws.createStack('app', queueWithExport);
    expect(await outcome(stock().deployByChangeSet('app', 'UPDATE', withDeployment))).toMatchObject({ ok: false });

    await patched().deployByChangeSet('app', 'UPDATE', withDeployment);
    expect(await patched().stack('app')).toMatchObject({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE' });
    expect((await patched().events('app')).slice(0, 3).map((e) => [e.id, e.status])).toEqual([
      ['app', 'UPDATE_ROLLBACK_COMPLETE'],
      ['app', 'UPDATE_ROLLBACK_IN_PROGRESS'],
      ['Deployment', 'UPDATE_FAILED'],
    ]);
    const template = await patched().cfn.send(new GetTemplateCommand({ StackName: 'app' }));
    expect(JSON.parse(template.TemplateBody!)).toEqual(queueWithExport);
    expect(await patched().outputs('app')).toHaveProperty('QueueUrl');
  });
});

describe('change_set_stack_state', () => {
  it('a CREATE change set for a live stack is refused; one for a stack under review takes its place', async () => {
    for (const aws of [stock(), patched()]) await aws.createStack('queue', queueWithExport);
    expect(await outcome(stock().createChangeSet('queue', 'CREATE', queueWithExport, 'again'))).toMatchObject({ ok: true });
    expect(await stock().liveStacks()).toEqual(
      expect.arrayContaining([
        { name: 'queue', status: 'REVIEW_IN_PROGRESS' },
        { name: 'queue', status: 'CREATE_COMPLETE' },
      ]),
    );
    expect(await outcome(patched().createChangeSet('queue', 'CREATE', queueWithExport, 'again'))).toMatchObject({
      ok: false,
      name: 'ValidationError',
      message: 'Stack [queue] already exists and cannot be created again with the changeSet [again].',
    });

    for (const aws of [stock(), patched()]) {
      await aws.createChangeSet('topic', 'CREATE', { Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }, 'first');
      await aws.createChangeSet('topic', 'CREATE', { Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }, 'second');
      await aws.executeChangeSet('topic', 'second');
    }
    expect((await stock().stack('topic')).StackStatus).toBe('REVIEW_IN_PROGRESS');
    expect((await patched().stack('topic')).StackStatus).toBe('CREATE_COMPLETE');
    expect((await patched().liveStacks()).filter((s) => s.name === 'topic')).toHaveLength(1);
  });

  it('an UPDATE change set for a stack that cannot be updated is refused', async () => {
    for (const aws of [stock(), patched()]) await aws.createChangeSet('queue', 'CREATE', queueWithExport);
    expect(await outcome(stock().createChangeSet('queue', 'UPDATE', queueWithExport, 'update'))).toMatchObject(SERVER_CRASH);
    expect(await outcome(patched().createChangeSet('queue', 'UPDATE', queueWithExport, 'update'))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Stack:arn:aws:cloudformation:.*:stack\/queue\/.* is in REVIEW_IN_PROGRESS state and can not be updated\.$/),
    });
  });
});

describe('use_previous_value', () => {
  it('UsePreviousValue reuses the value the stack was given, or its default', async () => {
    const renamed = { ...namedQueue, Description: 'changed' };
    const previous = [{ ParameterKey: 'QueueName', UsePreviousValue: true }];
    for (const aws of [stock(), patched()]) await aws.createStack('queue', namedQueue);
    const update = (aws: Aws) => aws.cfn.send(new UpdateStackCommand({ StackName: 'queue', TemplateBody: JSON.stringify(renamed), Parameters: previous }));
    expect(await outcome(update(stock()))).toMatchObject(SERVER_CRASH);
    await update(patched());
    expect((await patched().stack('queue')).Parameters).toEqual([{ ParameterKey: 'QueueName', ParameterValue: 'orders' }]);
  });

  it('a change set with UsePreviousValue passes the SSM parameter name, not its value', async () => {
    const renamed = { ...ssmTypedParameter, Description: 'changed' };
    const previous = [{ ParameterKey: 'TableName', UsePreviousValue: true }];
    for (const aws of [stock(), patched()]) {
      await aws.ssm.send(new PutParameterCommand({ Name: '/spec3/demo/dev/table-name', Value: 'orders-table', Type: 'String' }));
      await aws.createStack('app', ssmTypedParameter);
    }
    await stock().createChangeSet('app', 'UPDATE', renamed, 'deploy', previous);
    expect(await outcome(stock().executeChangeSet('app'))).toMatchObject(SERVER_CRASH);
    await patched().deployByChangeSet('app', 'UPDATE', renamed, previous);
    expect((await patched().stack('app')).Parameters).toContainEqual({
      ParameterKey: 'TableName',
      ParameterValue: '/spec3/demo/dev/table-name',
      ResolvedValue: 'orders-table',
    });
  });
});

describe('no_updates', () => {
  it('UpdateStack with the same template and parameters is "No updates are to be performed."', async () => {
    for (const aws of [stock(), patched()]) await aws.createStack('queue', queueWithExport);
    const again = (aws: Aws) => aws.cfn.send(new UpdateStackCommand({ StackName: 'queue', TemplateBody: JSON.stringify(queueWithExport, null, 2) }));
    expect(await outcome(again(stock()))).toMatchObject({ ok: true });
    expect((await stock().stack('queue')).StackStatus).toBe('UPDATE_COMPLETE');
    expect(await outcome(again(patched()))).toMatchObject({ ok: false, name: 'ValidationError', message: 'No updates are to be performed.' });
    expect((await patched().stack('queue')).StackStatus).toBe('CREATE_COMPLETE');
  });

  it('CreateChangeSet that changes nothing gives a FAILED change set, not an error', async () => {
    const same = [{ ParameterKey: 'QueueName', ParameterValue: 'orders' }];
    for (const aws of [stock(), patched()]) await aws.createStack('queue', namedQueue, { Parameters: same });
    expect(await outcome(stock().createChangeSet('queue', 'UPDATE', namedQueue, 'deploy', same))).toMatchObject({
      ok: false,
      message: 'No updates are to be performed.',
    });
    await patched().createChangeSet('queue', 'UPDATE', namedQueue, 'deploy', same);
    const changeSet = await patched().cfn.send(new DescribeChangeSetCommand({ StackName: 'queue', ChangeSetName: 'deploy' }));
    expect(changeSet).toMatchObject({ Status: 'FAILED', StatusReason: expect.stringContaining("didn't contain changes") });
  });
});

describe('update_exports', () => {
  it('an update registers the exports of the new outputs and drops the old ones', async () => {
    const moved = { ...queueWithExport, Outputs: { Renamed: { Value: { Ref: 'Queue' }, Export: { Name: 'queue-url-v2' } } } };
    const exportNames = async (aws: Aws) => ((await aws.cfn.send(new ListExportsCommand({}))).Exports ?? []).map((e) => e.Name);
    for (const aws of [stock(), patched()]) {
      await aws.createStack('queue', queueWithExport);
      await aws.cfn.send(new UpdateStackCommand({ StackName: 'queue', TemplateBody: JSON.stringify(moved) }));
    }
    expect(await exportNames(stock())).toEqual(['queue-url']);
    expect(await exportNames(patched())).toEqual(['queue-url-v2']);
  });
});

describe('update_in_place', () => {
  it('a modified resource moto cannot update stays in its stack, and is deleted with it', async () => {
    const tagged = { Resources: { Vpc: { ...vpcOnly.Resources.Vpc, Properties: { ...vpcOnly.Resources.Vpc.Properties, Tags: [{ Key: 'tier', Value: 'app' }] } } } };
    for (const aws of [stock(), patched()]) {
      await aws.createStack('net', vpcOnly);
      await aws.deployByChangeSet('net', 'UPDATE', tagged);
    }
    const resources = async (aws: Aws) =>
      ((await aws.cfn.send(new ListStackResourcesCommand({ StackName: 'net' }))).StackResourceSummaries ?? []).map((r) => r.LogicalResourceId);
    expect(await resources(stock())).toEqual(['']);
    expect(await resources(patched())).toEqual(['Vpc']);
    for (const aws of [stock(), patched()]) await aws.cfn.send(new DeleteStackCommand({ StackName: 'net' }));
    expect(await customVpcs(stock())).toHaveLength(1);
    expect(await customVpcs(patched())).toEqual([]);
  });
});

describe('ssm_resolved_value', () => {
  it('an SSM-typed parameter shows its name with the value used as ResolvedValue; NoEcho is masked', async () => {
    for (const aws of [stock(), patched()]) {
      await aws.ssm.send(new PutParameterCommand({ Name: '/spec3/demo/dev/table-name', Value: 'orders-table', Type: 'String' }));
      await aws.createStack('app', ssmTypedParameter);
    }
    expect((await stock().stack('app')).Parameters).toEqual([
      { ParameterKey: 'TableName', ParameterValue: 'orders-table' },
      { ParameterKey: 'Secret', ParameterValue: 'hunter2' },
    ]);
    expect((await patched().stack('app')).Parameters).toEqual([
      { ParameterKey: 'TableName', ParameterValue: '/spec3/demo/dev/table-name', ResolvedValue: 'orders-table' },
      { ParameterKey: 'Secret', ParameterValue: '****' },
    ]);
  });
});

describe('vpc_resource_deletion', () => {
  it('deleting a stack deletes its route tables, routes, gateway and attachment, then its VPC', async () => {
    for (const aws of [stock(), patched()]) await aws.createStack('net', publicNetwork);
    expect(await outcome(stock().cfn.send(new DeleteStackCommand({ StackName: 'net' })))).toMatchObject({ ok: false, name: 'DependencyViolation' });
    expect(await customVpcs(stock())).toHaveLength(1);

    await patched().cfn.send(new DeleteStackCommand({ StackName: 'net' }));
    expect(await customVpcs(patched())).toEqual([]);
    expect((await patched().ec2.send(new DescribeInternetGatewaysCommand({}))).InternetGateways).toEqual([]);
    expect(await patched().liveStacks()).toEqual([]);
  });
});

describe('delete_failed', () => {
  it('a stack whose resource cannot be deleted ends DELETE_FAILED, and deleting it again retries', async () => {
    const strayOn = async (aws: Aws) => {
      await aws.createStack('net', vpcOnly);
      const [vpc] = await customVpcs(aws);
      return (await aws.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.0.1.0/24' }))).Subnet!.SubnetId!;
    };
    await strayOn(stock());
    expect(await outcome(stock().cfn.send(new DeleteStackCommand({ StackName: 'net' })))).toMatchObject({ ok: false, name: 'DependencyViolation' });
    expect(await stock().liveStacks()).toEqual([]);

    const stray = await strayOn(patched());
    await patched().cfn.send(new DeleteStackCommand({ StackName: 'net' }));
    expect(await patched().stack('net')).toMatchObject({
      StackStatus: 'DELETE_FAILED',
      StackStatusReason: 'The following resource(s) failed to delete: [Vpc]. ',
    });
    expect((await patched().events('net')).slice(0, 2)).toEqual([
      { id: 'net', status: 'DELETE_FAILED', reason: 'The following resource(s) failed to delete: [Vpc]. ' },
      { id: 'Vpc', status: 'DELETE_FAILED', reason: expect.stringContaining('has dependencies and cannot be deleted') },
    ]);
    await patched().ec2.send(new DeleteSubnetCommand({ SubnetId: stray }));
    await patched().cfn.send(new DeleteStackCommand({ StackName: 'net' }));
    expect(await patched().liveStacks()).toEqual([]);
    expect(await customVpcs(patched())).toEqual([]);
  });
});

const tableStack = {
  Resources: {
    Queue: { Type: 'AWS::SQS::Queue' },
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: 'orders',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      },
    },
  },
};

describe('retain_resources', () => {
  const resources = async (aws: Aws, name: string) =>
    ((await aws.cfn.send(new ListStackResourcesCommand({ StackName: name }))).StackResourceSummaries ?? []).map((r) => `${r.LogicalResourceId} ${r.ResourceStatus}`);

  it('stock moto ignores RetainResources: it deletes the resource named in it, even for a stack that is not DELETE_FAILED', async () => {
    await stock().createStack('data', tableStack);
    expect(await outcome(stock().cfn.send(new DeleteStackCommand({ StackName: 'data', RetainResources: ['Table'] })))).toMatchObject({ ok: true });
    expect(await outcome(stock().dynamodb.send(new DescribeTableCommand({ TableName: 'orders' })))).toMatchObject({ ok: false, name: 'ResourceNotFoundException' });

    await patched().createStack('data', tableStack);
    expect(await outcome(patched().cfn.send(new DeleteStackCommand({ StackName: 'data', RetainResources: ['Table'] })))).toMatchObject({
      ok: false,
      name: 'ValidationError',
      message: expect.stringContaining('RetainResources can only be specified when the stack is in the DELETE_FAILED state'),
    });
    expect((await patched().stack('data')).StackStatus).toBe('CREATE_COMPLETE');
  });

  it('a DELETE_FAILED stack lists its failed resource as DELETE_FAILED, and DeleteStack retaining it finishes the stack', async () => {
    await patched().createStack('data', tableStack);
    await patched().dynamodb.send(new UpdateTableCommand({ TableName: 'orders', DeletionProtectionEnabled: true }));
    await patched().cfn.send(new DeleteStackCommand({ StackName: 'data' }));
    expect((await patched().stack('data')).StackStatus).toBe('DELETE_FAILED');
    expect(await resources(patched(), 'data')).toEqual(['Table DELETE_FAILED']);
    // The table is then deleted by hand: retrying the plain delete fails on it again.
    await patched().dynamodb.send(new UpdateTableCommand({ TableName: 'orders', DeletionProtectionEnabled: false }));
    await patched().dynamodb.send(new DeleteTableCommand({ TableName: 'orders' }));
    await patched().cfn.send(new DeleteStackCommand({ StackName: 'data' }));
    expect((await patched().stack('data')).StackStatus).toBe('DELETE_FAILED');

    await patched().cfn.send(new DeleteStackCommand({ StackName: 'data', RetainResources: ['Table'] }));
    expect(await patched().liveStacks()).toEqual([]);
  });

  it('stock moto refuses DeleteTable of a table with deletion protection, as DynamoDB does (relied on, not patched)', async () => {
    await stock().createStack('data', tableStack);
    await stock().dynamodb.send(new UpdateTableCommand({ TableName: 'orders', DeletionProtectionEnabled: true }));
    expect(await outcome(stock().dynamodb.send(new DeleteTableCommand({ TableName: 'orders' })))).toMatchObject({
      ok: false,
      name: 'ValidationException',
      message: expect.stringContaining("can't be deleted while DeletionProtectionEnabled is set to True"),
    });
    expect((await stock().dynamodb.send(new DescribeTableCommand({ TableName: 'orders' }))).Table?.DeletionProtectionEnabled).toBe(true);
  });
});

describe('termination_protection', () => {
  it('UpdateTerminationProtection works, and a protected stack cannot be deleted', async () => {
    const protect = (aws: Aws, on: boolean) =>
      outcome(aws.cfn.send(new UpdateTerminationProtectionCommand({ StackName: 'queue', EnableTerminationProtection: on })));
    for (const aws of [stock(), patched()]) await aws.createStack('queue', queueWithExport, { EnableTerminationProtection: true });
    expect(await protect(stock(), false)).toMatchObject(SERVER_CRASH);
    await stock().cfn.send(new DeleteStackCommand({ StackName: 'queue' }));
    expect(await stock().liveStacks()).toEqual([]);

    const refused = await outcome(patched().cfn.send(new DeleteStackCommand({ StackName: 'queue' })));
    expect(refused).toMatchObject({ ok: false, name: 'ValidationError', message: 'Stack [queue] cannot be deleted while TerminationProtection is enabled' });
    expect(await protect(patched(), false)).toMatchObject({ ok: true, value: { StackId: (await patched().stack('queue')).StackId } });
    expect((await patched().stack('queue')).EnableTerminationProtection).toBe(false);
    await patched().cfn.send(new DeleteStackCommand({ StackName: 'queue' }));
    expect(await patched().liveStacks()).toEqual([]);
  });
});

describe('ssm_parameter_missing', () => {
  it('an SSM-typed parameter naming a missing parameter is refused at once', async () => {
    const unableToFetch = { ok: false, name: 'ValidationError', message: 'Unable to fetch parameters [/spec3/demo/dev/table-name] from parameter store for this account.' };
    expect(await outcome(stock().createStack('app', ssmTypedParameter))).toMatchObject(SERVER_CRASH);
    expect(await outcome(stock().createChangeSet('app', 'CREATE', ssmTypedParameter))).toMatchObject({ ok: true });
    expect(await outcome(patched().createStack('app', ssmTypedParameter))).toMatchObject(unableToFetch);
    expect(await outcome(patched().createChangeSet('app', 'CREATE', ssmTypedParameter))).toMatchObject(unableToFetch);
    expect(await patched().liveStacks()).toEqual([]);
  });
});

describe('ssm_parameter_tags', () => {
  it('an SSM parameter with Tags (a map in templates) is created with its tags', async () => {
    const template = {
      Resources: { Param: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/spec3/x', Type: 'String', Value: 'v', Tags: { stage: 'dev' } } } },
    };
    expect(await outcome(stock().createStack('params', template))).toMatchObject(SERVER_CRASH);
    await patched().createStack('params', template);
    const tags = await patched().ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/spec3/x' }));
    expect(tags.TagList).toEqual([{ Key: 'stage', Value: 'dev' }]);
  });
});

describe('kms_key_properties', () => {
  const key = (extra: object) => ({
    Resources: {
      Key: {
        Type: 'AWS::KMS::Key',
        Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }] }, ...extra },
      },
    },
    Outputs: { KeyId: { Value: { Ref: 'Key' } } },
  });

  it('a key with Tags is created, and its policy does not break DescribeKey', async () => {
    expect(await outcome(stock().createStack('tagged', key({ Tags: [{ Key: 'stage', Value: 'dev' }] })))).toMatchObject(SERVER_CRASH);
    await stock().createStack('plain', key({}));
    const keyId = (await stock().outputs('plain')).KeyId;
    expect(await outcome(stock().kms.send(new DescribeKeyCommand({ KeyId: keyId })))).toMatchObject(SERVER_CRASH);

    await patched().createStack('tagged', key({ Tags: [{ Key: 'stage', Value: 'dev' }] }));
    const tagged = (await patched().outputs('tagged')).KeyId;
    expect((await patched().kms.send(new DescribeKeyCommand({ KeyId: tagged }))).KeyMetadata?.KeyId).toBe(tagged);
    expect((await patched().kms.send(new ListResourceTagsCommand({ KeyId: tagged }))).Tags).toEqual([{ TagKey: 'stage', TagValue: 'dev' }]);
  });
});

describe('apigateway_method_integration', () => {
  it('a method with a MOCK integration (CORS preflight) is created', async () => {
    const template = {
      Resources: {
        Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'orders' } },
        Options: rootMethod('OPTIONS', { Type: 'MOCK', RequestTemplates: { 'application/json': '{ statusCode: 200 }' } }),
      },
      Outputs: { ApiId: { Value: { Ref: 'Api' } }, RootId: { Value: { 'Fn::GetAtt': ['Api', 'RootResourceId'] } } },
    };
    expect(await outcome(stock().createStack('api', template))).toMatchObject(SERVER_CRASH);
    await patched().createStack('api', template);
    const { ApiId, RootId } = await patched().outputs('api');
    const method = await patched().apigateway.send(new GetMethodCommand({ restApiId: ApiId, resourceId: RootId, httpMethod: 'OPTIONS' }));
    expect(method.methodIntegration?.type).toBe('MOCK');
  });
});

describe('apigateway_deployment_ref and apigateway_stage', () => {
  it('a Stage is created on its Deployment, and Refs to both resolve to their ids', async () => {
    const template = {
      Resources: {
        ...apiWithDeployment.Resources,
        Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, DeploymentId: { Ref: 'Deployment' }, StageName: 'prod' } },
      },
      Outputs: {
        Url: { Value: { 'Fn::Join': ['', ['https://', { Ref: 'Api' }, '.execute-api.us-east-1.amazonaws.com/', { Ref: 'Stage' }, '/']] } },
        DeploymentId: { Value: { Ref: 'Deployment' } },
        ApiId: { Value: { Ref: 'Api' } },
      },
    };
    for (const aws of [stock(), patched()]) await aws.createStack('api', template);
    const before = await stock().outputs('api');
    expect(before.Url).toMatch(/\/None\/$/);
    expect(before.DeploymentId).toMatch(/^<moto\.apigateway\.models\.Deployment object/);

    const after = await patched().outputs('api');
    expect(after.Url).toBe(`https://${after.ApiId}.execute-api.us-east-1.amazonaws.com/prod/`);
    const stages = await patched().apigateway.send(new GetStagesCommand({ restApiId: after.ApiId }));
    expect(stages.item?.map((s) => [s.stageName, s.deploymentId])).toEqual([['prod', after.DeploymentId]]);
  });
});

describe('cloudwatch_alarm', () => {
  it('an alarm is created, and GetAtt Arn on it resolves', async () => {
    const template = {
      Resources: {
        Errors: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: {
            AlarmName: 'orders-errors',
            Namespace: 'AWS/Lambda',
            MetricName: 'Errors',
            Dimensions: [{ Name: 'FunctionName', Value: 'orders' }],
            Statistic: 'Sum',
            Period: 300,
            EvaluationPeriods: 1,
            Threshold: 5,
            ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          },
        },
      },
      Outputs: { AlarmArn: { Value: { 'Fn::GetAtt': ['Errors', 'Arn'] } }, AlarmName: { Value: { Ref: 'Errors' } } },
    };
    expect(await outcome(stock().createStack('alarms', template))).toMatchObject(SERVER_CRASH);
    await patched().createStack('alarms', template);
    expect(await patched().outputs('alarms')).toEqual({
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-errors',
      AlarmName: 'orders-errors',
    });
  });
});

describe('apigateway_deletion', () => {
  it('deleting a stack deletes its REST API', async () => {
    for (const aws of [stock(), patched()]) {
      await aws.createStack('api', apiWithDeployment);
      await aws.cfn.send(new DeleteStackCommand({ StackName: 'api' }));
    }
    expect(await restApis(stock())).toEqual(['orders']);
    expect(await restApis(patched())).toEqual([]);
  });
});

describe('iam_managed_policy_deletion', () => {
  it('deleting a stack deletes its managed policy, so the stack can be created again', async () => {
    const template = {
      Resources: {
        Policy: {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: {
            ManagedPolicyName: 'orders-base',
            PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }] },
          },
        },
      },
    };
    const cycle = async (aws: Aws) => {
      await aws.createStack('security', template);
      await aws.cfn.send(new DeleteStackCommand({ StackName: 'security' }));
      return outcome(aws.createStack('security', template));
    };
    expect(await cycle(stock())).toMatchObject({ ok: false, name: 'EntityAlreadyExists' });
    expect(await cycle(patched())).toMatchObject({ ok: true });
  });
});

describe('s3_bucket_versioning', () => {
  it('a bucket whose template asks for versioning is versioned', async () => {
    const template = {
      Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'orders-data', VersioningConfiguration: { Status: 'Enabled' } } } },
    };
    for (const aws of [stock(), patched()]) await aws.createStack('storage', template);
    const versioning = (aws: Aws) => aws.s3.send(new GetBucketVersioningCommand({ Bucket: 'orders-data' }));
    expect((await versioning(stock())).Status).toBeUndefined();
    expect((await versioning(patched())).Status).toBe('Enabled');
  });
});

describe('module_list_cache', () => {
  // Routing happens inside the server, so the directory scans are counted in a Python process that
  // builds moto's own server application, before and after the fixes are applied.
  const script = `
import os, sys
sys.path.insert(0, sys.argv[1])
import moto
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
app = DomainDispatcherApplication(create_backend_app)
def scans(requests):
    count = 0
    real = os.listdir
    def spy(path):
        nonlocal count
        count += 1
        return real(path)
    os.listdir = spy
    try:
        for _ in range(requests):
            app.get_backend_for_host("localhost")
    finally:
        os.listdir = real
    return count
stock = scans(5)
from patches import apply_all
apply_all(moto.__version__)
scans(1)
print(stock, scans(5))
`;

  it('routing a request no longer lists the moto package directory', () => {
    const out = execFileSync('python3', ['-c', script, path.join(process.cwd(), 'local')], { encoding: 'utf8' });
    const [stock, patched] = out.trim().split(' ').map(Number);
    expect(stock).toBeGreaterThanOrEqual(5);
    expect(patched).toBe(0);
  });
});

describe('last_updated_time', () => {
  const delayed = (seconds: number) => ({ Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: seconds } } } });

  it('every update of a stack, by UpdateStack or an UPDATE change set, sets LastUpdatedTime; a created stack has none', async () => {
    for (const aws of [stock(), patched()]) {
      await aws.createStack('queue', delayed(0));
      await aws.deployByChangeSet('viaset', 'CREATE', delayed(0));
    }
    for (const aws of [stock(), patched()]) {
      expect((await aws.stack('queue')).LastUpdatedTime).toBeUndefined();
      expect((await aws.stack('viaset')).LastUpdatedTime).toBeUndefined();
    }
    const update = (aws: Aws, seconds: number) => aws.cfn.send(new UpdateStackCommand({ StackName: 'queue', TemplateBody: JSON.stringify(delayed(seconds)) }));
    await update(stock(), 1);
    expect((await stock().stack('queue')).StackStatus).toBe('UPDATE_COMPLETE');
    expect((await stock().stack('queue')).LastUpdatedTime).toBeUndefined();

    await update(patched(), 1);
    const first = await patched().stack('queue');
    expect(first.StackStatus).toBe('UPDATE_COMPLETE');
    expect(first.LastUpdatedTime!.getTime()).toBeGreaterThanOrEqual(first.CreationTime!.getTime());
    await update(patched(), 2);
    const second = await patched().stack('queue');
    expect(second.LastUpdatedTime!.getTime()).toBeGreaterThan(first.LastUpdatedTime!.getTime());
    expect(second.CreationTime).toEqual(first.CreationTime);

    await stock().deployByChangeSet('viaset', 'UPDATE', delayed(3));
    expect((await stock().stack('viaset')).LastUpdatedTime).toBeUndefined();
    await patched().deployByChangeSet('viaset', 'UPDATE', delayed(3));
    const changed = await patched().stack('viaset');
    expect(changed.StackStatus).toBe('UPDATE_COMPLETE');
    expect(changed.LastUpdatedTime).toBeInstanceOf(Date);
  });

  it('a change set that changes nothing leaves LastUpdatedTime as it was', async () => {
    await patched().createStack('queue', delayed(0));
    await patched().deployByChangeSet('queue', 'UPDATE', delayed(1));
    const before = (await patched().stack('queue')).LastUpdatedTime;
    await patched().createChangeSet('queue', 'UPDATE', delayed(1), 'same');
    expect((await patched().cfn.send(new DescribeChangeSetCommand({ StackName: 'queue', ChangeSetName: 'same' }))).Status).toBe('FAILED');
    expect((await patched().stack('queue')).LastUpdatedTime).toEqual(before);
  });
});

describe('concurrent_requests', () => {
  const queue = { Resources: { Queue: { Type: 'AWS::SQS::Queue' } } };
  /**
   * CreateChangeSet of new stacks beside DescribeStacks of each, all at once (the SDK sends up to
   * 50 at a time), as a parallel deploy does: the calls that crashed the server.
   */
  const burst = async (aws: Aws, round: number) => {
    const calls = Array.from({ length: 120 }, (_, i) => [
      outcome(aws.createChangeSet(`r${round}-s${i}`, 'CREATE', queue)),
      outcome(aws.cfn.send(new DescribeStacksCommand({ StackName: `r${round}-s${i}` }))),
    ]).flat();
    const answers = await Promise.all(calls);
    return { crashes: answers.filter((o) => !o.ok && o.status === 500), created: answers.filter((o, i) => i % 2 === 0 && o.ok).length };
  };

  it('parallel CreateChangeSet and DescribeStacks: stock moto answers some with a 500, the patched server none', async () => {
    // The crash needs two requests to meet inside one loop, a race: bursts until it shows on stock moto
    // (mostly within a few, now and then only after a dozen or more).
    let crashes: unknown[] = [];
    for (let round = 0; round < 30 && crashes.length === 0; round++) crashes = (await burst(stock(), round)).crashes;
    expect(crashes.length, 'stock moto never crashed in 30 bursts').toBeGreaterThan(0);
    for (let round = 0; round < 5; round++) expect(await burst(patched(), round)).toEqual({ crashes: [], created: 120 });
  }, 240_000);
});
