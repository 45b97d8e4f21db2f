import { GetIntegrationCommand, GetResourcesCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { DeleteStackCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { GetAliasCommand, GetPolicyCommand, LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../../../src/aws/local/launcher.js';
import { clientConfig, useLocalAws } from '../../helpers/local-aws.js';
import { Aws, outcome, SERVER_CRASH } from './moto-pair.js';

/**
 * local/patches/lambda_alias.py: a function's `live` alias created by CloudFormation, and what
 * points at its ARN (an SSM parameter, a permission, a queue mapping, an API integration), on moto
 * as installed (the bug) and on the patched server (the fix).
 */
class LambdaAws extends Aws {
  readonly lambda: LambdaClient;
  constructor(endpoint: string) {
    super(endpoint);
    this.lambda = new LambdaClient(clientConfig(endpoint));
  }

  async settled(name: string) {
    for (let i = 0; i < 60; i++) {
      const stack = await this.stack(name);
      if (!stack.StackStatus!.endsWith('_IN_PROGRESS')) return stack;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`stack ${name} did not settle`);
  }
}

const local = useLocalAws();
let stockServer: LocalAws | undefined;
let stock: LambdaAws;
let patched: LambdaAws;
beforeAll(async () => {
  stockServer = await startLocalAws({ patched: false });
  stock = new LambdaAws(stockServer.endpoint);
  patched = new LambdaAws(local.endpoint());
});
afterAll(async () => {
  await stockServer?.stop();
});
beforeEach(async () => {
  await stockServer!.reset();
});

const FUNCTION = 'orders-dev-api';
const ALIAS_ARN = `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}:live`;

const role = {
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    },
  },
};
const fn = (description = 'v1') => ({
  Type: 'AWS::Lambda::Function',
  Properties: {
    FunctionName: FUNCTION,
    Runtime: 'python3.12',
    Handler: 'handler.handler',
    Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
    Code: { ZipFile: 'def handler(event, context):\n    return None\n' },
    Description: description,
  },
});
const alias = (functionVersion: unknown) => ({
  Type: 'AWS::Lambda::Alias',
  Properties: {
    FunctionName: { Ref: 'Fn' },
    FunctionVersion: functionVersion,
    Name: 'live',
    ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 },
  },
});

/** A function, its first version, and the `live` alias on it (as CDK writes them). */
const aliasOnVersion = {
  Resources: {
    Role: role,
    Fn: fn(),
    Version: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } },
    Live: alias({ 'Fn::GetAtt': ['Version', 'Version'] }),
  },
  Outputs: {
    AliasRef: { Value: { Ref: 'Live' } },
    AliasArn: { Value: { 'Fn::GetAtt': ['Live', 'AliasArn'] } },
    VersionRef: { Value: { Ref: 'Version' } },
  },
};

/** Everything spec3's later stacks point at the alias ARN, here in one stack. */
const callersOfTheAlias = {
  Resources: {
    ...aliasOnVersion.Resources,
    Parameter: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/spec3/orders/dev/compute/fn-api-arn', Type: 'String', Value: { Ref: 'Live' } } },
    Permission: {
      Type: 'AWS::Lambda::Permission',
      Properties: { Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', FunctionName: { Ref: 'Live' } },
    },
    Queue: { Type: 'AWS::SQS::Queue' },
    Mapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { FunctionName: { Ref: 'Live' }, EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] }, BatchSize: 10 },
    },
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'orders-dev-api' } },
    Method: {
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: { Ref: 'Api' },
        ResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
        HttpMethod: 'GET',
        AuthorizationType: 'NONE',
        Integration: {
          Type: 'AWS_PROXY',
          IntegrationHttpMethod: 'POST',
          Uri: { 'Fn::Join': ['', ['arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/', { Ref: 'Live' }, '/invocations']] },
        },
      },
    },
  },
};

describe('lambda_alias', () => {
  it('stock moto: the alias is skipped, its Ref is empty (an SSM parameter carrying it is refused), GetAtt Version is a 500', async () => {
    const onLatest = {
      Resources: { Role: role, Fn: fn(), Live: alias('$LATEST') },
      Outputs: { AliasRef: { Value: { Ref: 'Live' } } },
    };
    await stock.createStack('latest', onLatest);
    expect(await stock.outputs('latest')).toEqual({});
    expect(await outcome(stock.lambda.send(new GetAliasCommand({ FunctionName: FUNCTION, Name: 'live' })))).toMatchObject({
      ok: false,
      name: 'ResourceNotFoundException',
    });
    await stockServer!.reset(); // the next stack creates the same function
    const wired = {
      Resources: {
        ...onLatest.Resources,
        Parameter: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/spec3/orders/dev/compute/fn-api-arn', Type: 'String', Value: { Ref: 'Live' } } },
      },
    };
    expect(await outcome(stock.createStack('wired', wired))).toMatchObject({ ok: false, name: 'ValidationException', message: expect.stringContaining("Value ''") });
    expect(await outcome(stock.createStack('version', aliasOnVersion))).toMatchObject(SERVER_CRASH);
  });

  it('patched: the alias is created on the published version, and Ref, GetAtt AliasArn and the version Ref resolve', async () => {
    await patched.createStack('alias', aliasOnVersion);
    expect((await patched.settled('alias')).StackStatus).toBe('CREATE_COMPLETE');
    expect(await patched.outputs('alias')).toEqual({
      AliasRef: ALIAS_ARN,
      AliasArn: ALIAS_ARN,
      VersionRef: `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}:1`,
    });
    expect(await patched.lambda.send(new GetAliasCommand({ FunctionName: FUNCTION, Name: 'live' }))).toMatchObject({
      AliasArn: ALIAS_ARN,
      Name: 'live',
      FunctionVersion: '1',
    });
  });

  it('patched: a parameter, a permission, a queue mapping and an API integration accept the alias ARN', async () => {
    await patched.createStack('callers', callersOfTheAlias);
    expect((await patched.settled('callers')).StackStatus).toBe('CREATE_COMPLETE');
    const parameter = await patched.ssm.send(new GetParameterCommand({ Name: '/spec3/orders/dev/compute/fn-api-arn' }));
    expect(parameter.Parameter!.Value).toBe(ALIAS_ARN);
    // The permission is on the alias: the policy of the `live` qualifier holds it.
    const policy = JSON.parse((await patched.lambda.send(new GetPolicyCommand({ FunctionName: FUNCTION, Qualifier: 'live' }))).Policy!);
    expect(policy.Statement).toEqual([expect.objectContaining({ Action: 'lambda:InvokeFunction', Principal: { Service: 'apigateway.amazonaws.com' } })]);
    // moto records the version the alias points at, where AWS would keep the alias ARN.
    const mappings = (await patched.lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings ?? [];
    expect(mappings.map((m) => m.FunctionArn)).toEqual([`arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}:1`]);
    const api = ((await patched.apigateway.send(new GetRestApisCommand({}))).items ?? []).find((a) => a.name === 'orders-dev-api')!;
    const root = ((await patched.apigateway.send(new GetResourcesCommand({ restApiId: api.id }))).items ?? []).find((r) => r.path === '/')!;
    const integration = await patched.apigateway.send(new GetIntegrationCommand({ restApiId: api.id, resourceId: root.id, httpMethod: 'GET' }));
    expect(integration.uri).toBe(`arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${ALIAS_ARN}/invocations`);
  });

  it('patched: an update moves the alias to the new version, and deleting the stack removes it', async () => {
    const before = { Resources: { Role: role, Fn: fn(), Live: alias('$LATEST') } };
    await patched.createStack('moving', before);
    await patched.settled('moving');
    expect((await patched.lambda.send(new GetAliasCommand({ FunctionName: FUNCTION, Name: 'live' }))).FunctionVersion).toBe('$LATEST');

    await patched.cfn.send(new UpdateStackCommand({ StackName: 'moving', TemplateBody: JSON.stringify(aliasOnVersion) }));
    expect((await patched.settled('moving')).StackStatus).toBe('UPDATE_COMPLETE');
    expect(await patched.lambda.send(new GetAliasCommand({ FunctionName: FUNCTION, Name: 'live' }))).toMatchObject({
      AliasArn: ALIAS_ARN,
      FunctionVersion: '1',
    });

    // The alias alone goes (the function stays): delete it by removing it from the template.
    await patched.cfn.send(new UpdateStackCommand({ StackName: 'moving', TemplateBody: JSON.stringify({ Resources: { Role: role, Fn: fn() } }) }));
    expect((await patched.settled('moving')).StackStatus).toBe('UPDATE_COMPLETE');
    expect(await outcome(patched.lambda.send(new GetAliasCommand({ FunctionName: FUNCTION, Name: 'live' })))).toMatchObject({
      ok: false,
      name: 'ResourceNotFoundException',
    });

    await patched.cfn.send(new DeleteStackCommand({ StackName: 'moving' }));
    await patched.settled('moving').catch(() => undefined);
    expect(await patched.liveStacks()).toEqual([]);
  });
});
