import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStacksCommand,
  type DescribeChangeSetCommandOutput,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
// fromTemporaryCredentials calls AssumeRole through the SDK's internal STS client, not client-sts.
import { AssumeRoleCommand, STSClient as NestedSTSClient } from '@aws-sdk/nested-clients/sts';
import { mockClient } from 'aws-sdk-client-mock';
import { writeProject } from '../../helpers/project.js';

/**
 * A synthesized stage (project `orders`, three stacks) as files, and CloudFormation, SSM and STS
 * behind aws-sdk-client-mock answering with the shapes of the real APIs.
 */
export const cfn = mockClient(CloudFormationClient);
export const ssm = mockClient(SSMClient);
export const sts = mockClient(STSClient);
export const assumeRole = mockClient(NestedSTSClient);

export const ACCOUNT = '123456789012';
const role = (kind: string) => `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-${kind}-role-${ACCOUNT}-us-east-1`;
export const LOOKUP_ROLE = role('lookup');
export const DEPLOY_ROLE = role('deploy');
export const EXEC_ROLE = role('cfn-exec');

/** An endpoint and explicit keys: reached like AWS. */
export const ENV = {
  AWS_ENDPOINT_URL: 'http://localhost:4599',
  AWS_ACCESS_KEY_ID: 'AKIDCALLER',
  AWS_SECRET_ACCESS_KEY: 'caller',
  SPEC3_MAX_ATTEMPTS: '1',
};

export const KEY_PARAM = 'SsmParameterValuespec3ordersdevsecuritykeyarnC96584B6F00A464EAD1953AFF4B05118Parameter';
export const KEY_NAME = '/spec3/orders/dev/security/key-arn';
export const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1f0c2e40-aaaa-bbbb-cccc-0a1b2c3d4e5f`;

const bootstrapVersion = {
  Type: 'AWS::SSM::Parameter::Value<String>',
  Default: '/cdk-bootstrap/hnb659fds/version',
  Description: 'Version of the CDK Bootstrap resources in this environment, automatically retrieved from SSM Parameter Store. [cdk:skip]',
};
const checkBootstrapVersion = {
  CheckBootstrapVersion: {
    Assertions: [{ Assert: { 'Fn::Not': [{ 'Fn::Contains': [['1', '2', '3', '4', '5'], { Ref: 'BootstrapVersion' }] }] }, AssertDescription: 'CDK bootstrap stack version 6 required.' }],
  },
};

export function storageTemplate(tableName = 'orders-dev-table'): object {
  return {
    Parameters: { [KEY_PARAM]: { Type: 'AWS::SSM::Parameter::Value<String>', Default: KEY_NAME }, BootstrapVersion: bootstrapVersion },
    Resources: {
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { Ref: KEY_PARAM } },
        },
        UpdateReplacePolicy: 'Delete',
        DeletionPolicy: 'Delete',
      },
    },
    Rules: checkBootstrapVersion,
  };
}

export function computeTemplate(options: { memory?: number; extraStatement?: boolean; padding?: number } = {}): object {
  const statements: object[] = [{ Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Effect: 'Allow', Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders-dev-table' }];
  if (options.extraStatement) statements.push({ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::orders-dev-data/*' });
  return {
    Description: options.padding ? 'x'.repeat(options.padding) : 'Functions (spec3 orders/dev)',
    Parameters: { BootstrapVersion: bootstrapVersion },
    Resources: {
      ApiRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }], Version: '2012-10-17' },
        },
      },
      ApiRoleDefaultPolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: { PolicyDocument: { Statement: statements, Version: '2012-10-17' }, PolicyName: 'ApiRoleDefaultPolicy', Roles: [{ Ref: 'ApiRole' }] },
      },
      Api: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          FunctionName: 'orders-dev-api',
          Handler: 'orders.handlers.api.handler',
          MemorySize: options.memory ?? 256,
          Role: { 'Fn::GetAtt': ['ApiRole', 'Arn'] },
          Runtime: 'python3.13',
          Timeout: 30,
        },
        DependsOn: ['ApiRoleDefaultPolicy', 'ApiRole'],
      },
    },
    Rules: checkBootstrapVersion,
  };
}

export function apiTemplate(): object {
  return {
    Parameters: { BootstrapVersion: bootstrapVersion },
    Resources: { RestApi: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'orders-dev-api' } } },
    Rules: checkBootstrapVersion,
  };
}

const TAGS = { 'managed-by': 'spec3', project: 'orders', stage: 'dev' };

/**
 * Writes the project's config and a cloud assembly (as `spec3 synth` lays it out) with the given
 * templates; answers the assembly directory.
 */
export async function writeStage(dir: string, templates: { storage: object; compute: object; api: object }): Promise<string> {
  await writeProject(dir);
  const out = path.join(dir, 'cdk.out', 'dev');
  await mkdir(out, { recursive: true });
  const artifacts: Record<string, object> = {};
  const stacks = [
    ['storage', 'foundation', templates.storage],
    ['compute', 'app', templates.compute],
    ['api', 'app', templates.api],
  ] as const;
  for (const [kind, phase, template] of stacks) {
    const name = `orders-dev-${kind}`;
    const templateFile = `${name}.template.json`;
    await writeFile(path.join(out, templateFile), JSON.stringify(template, null, 1));
    const assets = {
      version: '54.0.0',
      files: {
        codehash: {
          displayName: 'Api/Code',
          source: { path: 'asset.codehash', packaging: 'zip' },
          destinations: {
            current: {
              bucketName: `cdk-hnb659fds-assets-${ACCOUNT}-us-east-1`,
              objectKey: 'codehash.zip',
              region: 'us-east-1',
              assumeRoleArn: `arn:\${AWS::Partition}:iam::${ACCOUNT}:role/cdk-hnb659fds-file-publishing-role-${ACCOUNT}-us-east-1`,
            },
          },
        },
        [`${kind}templatehash`]: {
          displayName: `${name} Template`,
          source: { path: templateFile, packaging: 'file' },
          destinations: {
            current: {
              bucketName: `cdk-hnb659fds-assets-${ACCOUNT}-us-east-1`,
              objectKey: `${kind}templatehash.json`,
              region: 'us-east-1',
              assumeRoleArn: `arn:\${AWS::Partition}:iam::${ACCOUNT}:role/cdk-hnb659fds-file-publishing-role-${ACCOUNT}-us-east-1`,
            },
          },
        },
      },
      dockerImages: {},
    };
    await writeFile(path.join(out, `${name}.assets.json`), JSON.stringify(assets));
    artifacts[`${name}.assets`] = { type: 'cdk:asset-manifest', properties: { file: `${name}.assets.json` } };
    artifacts[name] = {
      type: 'aws:cloudformation:stack',
      environment: `aws://${ACCOUNT}/us-east-1`,
      properties: {
        templateFile,
        terminationProtection: false,
        tags: { ...TAGS, 'spec3:phase': phase },
        assumeRoleArn: DEPLOY_ROLE.replace('arn:aws:', 'arn:${AWS::Partition}:'),
        cloudFormationExecutionRoleArn: EXEC_ROLE.replace('arn:aws:', 'arn:${AWS::Partition}:'),
        stackTemplateAssetObjectUrl: `s3://cdk-hnb659fds-assets-${ACCOUNT}-us-east-1/${kind}templatehash.json`,
        requiresBootstrapStackVersion: 6,
        bootstrapStackVersionSsmParameter: '/cdk-bootstrap/hnb659fds/version',
        lookupRole: { arn: LOOKUP_ROLE.replace('arn:aws:', 'arn:${AWS::Partition}:'), requiresBootstrapStackVersion: 8 },
      },
      dependencies: [`${name}.assets`],
      displayName: name,
    };
  }
  await writeFile(path.join(out, 'manifest.json'), JSON.stringify({ version: '54.0.0', artifacts }));
  return out;
}

export interface DeployedFake {
  readonly template: object;
  readonly status?: string;
  /** Parameter key -> [SSM name, value resolved at the deploy]. */
  readonly parameters?: Record<string, readonly [string, string]>;
  readonly tags?: Record<string, string>;
}

/** DescribeStacks / GetTemplate answers for the deployed stacks; any other name does not exist. */
export function deployed(stacks: Record<string, DeployedFake>): void {
  cfn.on(ListStacksCommand).resolves({
    StackSummaries: Object.entries(stacks).map(([StackName, s]) => ({ StackName, StackStatus: (s.status ?? 'CREATE_COMPLETE') as never, CreationTime: new Date('2026-11-01T10:00:00.000Z') })),
  });
  cfn.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => {
    const s = stacks[input.StackName];
    if (!s) {
      throw Object.assign(new Error(`Stack with id ${input.StackName} does not exist`), {
        name: 'ValidationError',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      });
    }
    const phase = input.StackName.endsWith('storage') ? 'foundation' : 'app';
    const stack: Stack = {
      StackId: `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/${input.StackName}/1f0c2e40-0000-11ef-9a6b-0a1b2c3d4e5f`,
      StackName: input.StackName,
      CreationTime: new Date('2026-11-01T10:00:00.000Z'),
      StackStatus: (s.status ?? 'CREATE_COMPLETE') as never,
      DisableRollback: false,
      Parameters: Object.entries(s.parameters ?? {}).map(([ParameterKey, [ParameterValue, ResolvedValue]]) => ({ ParameterKey, ParameterValue, ResolvedValue })),
      Tags: Object.entries(s.tags ?? { ...TAGS, 'spec3:phase': phase }).map(([Key, Value]) => ({ Key, Value })),
      EnableTerminationProtection: false,
      DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
    };
    return { Stacks: [stack] };
  });
  cfn.on(GetTemplateCommand).callsFake((input: { StackName: string }) => ({
    TemplateBody: JSON.stringify(stacks[input.StackName]!.template),
    StagesAvailable: ['Original', 'Processed'],
  }));
}

/** SSM's GetParameters for the given name -> value map; other names come back as invalid. */
export function ssmValues(values: Record<string, string>): void {
  ssm.on(GetParametersCommand).callsFake((input: { Names: string[] }) => ({
    Parameters: input.Names.filter((n) => n in values).map((Name) => ({
      Name,
      Type: 'String',
      Value: values[Name],
      Version: 3,
      ARN: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter${Name}`,
      DataType: 'text',
    })),
    InvalidParameters: input.Names.filter((n) => !(n in values)),
  }));
}

export const CHANGE_SET_ID = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:changeSet/spec3-diff-1795335365438/5d1a7c9e-0000-4a1b-9c2d-3e4f5a6b7c8d`;

/**
 * CreateChangeSet answers an id; DescribeChangeSet answers `polls` one per call (the last one
 * repeating), and a request with a NextToken the page of that token.
 */
export function changeSet(polls: readonly Partial<DescribeChangeSetCommandOutput>[], pages: Record<string, Partial<DescribeChangeSetCommandOutput>> = {}): void {
  cfn.on(CreateChangeSetCommand).callsFake((input: { StackName: string }) => ({
    Id: CHANGE_SET_ID,
    StackId: `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/${input.StackName}/1f0c2e40-0000-11ef-9a6b-0a1b2c3d4e5f`,
  }));
  let call = 0;
  cfn.on(DescribeChangeSetCommand).callsFake((input: { StackName: string; NextToken?: string }) => {
    const page = input.NextToken ? pages[input.NextToken] : polls[Math.min(call++, polls.length - 1)];
    return {
      ChangeSetName: 'spec3-diff-1795335365438',
      ChangeSetId: CHANGE_SET_ID,
      StackName: input.StackName,
      CreationTime: new Date('2026-11-22T10:00:00.000Z'),
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
      ExecutionStatus: page?.Status === 'CREATE_COMPLETE' ? 'AVAILABLE' : 'UNAVAILABLE',
      ...page,
    };
  });
  cfn.on(DeleteChangeSetCommand).resolves({});
}

/** A resource change as DescribeChangeSet lists it. */
export function modify(logicalId: string, type: string, property: string, replacement: 'True' | 'False' | 'Conditional' = 'False') {
  return {
    Type: 'Resource' as const,
    ResourceChange: {
      Action: 'Modify' as const,
      LogicalResourceId: logicalId,
      PhysicalResourceId: `orders-dev-${logicalId.toLowerCase()}`,
      ResourceType: type,
      Replacement: replacement,
      Scope: ['Properties' as const],
      Details: [
        {
          Target: { Attribute: 'Properties' as const, Name: property, RequiresRecreation: replacement === 'True' ? ('Always' as const) : ('Never' as const) },
          Evaluation: 'Static' as const,
          ChangeSource: 'DirectModification' as const,
        },
      ],
    },
  };
}

export function resetAws(): void {
  cfn.reset();
  ssm.reset();
  sts.reset();
  assumeRole.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/ci`, UserId: 'AIDAEXAMPLE' });
  cfn.on(ListStacksCommand).resolves({ StackSummaries: [] });
  // Each role gets its own keys, so a test can tell which credentials signed a call.
  assumeRole.on(AssumeRoleCommand).callsFake((input: { RoleArn: string; RoleSessionName: string }) => ({
    Credentials: {
      AccessKeyId: input.RoleArn === LOOKUP_ROLE ? 'ASIALOOKUP' : input.RoleArn === DEPLOY_ROLE ? 'ASIADEPLOY' : 'ASIAOTHER',
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: new Date(Date.now() + 3_600_000),
    },
    AssumedRoleUser: { AssumedRoleId: `AROAEXAMPLE:${input.RoleSessionName}`, Arn: `${input.RoleArn.replace(':role/', ':assumed-role/')}/${input.RoleSessionName}` },
  }));
}
