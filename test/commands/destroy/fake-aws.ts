import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListExportsCommand,
  ListImportsCommand,
  ListStackResourcesCommand,
  UpdateTerminationProtectionCommand,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteObjectsCommand,
  GetBucketPolicyCommand,
  GetObjectLockConfigurationCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * An in-memory CloudFormation + S3 + STS behind aws-sdk-client-mock. Responses follow the shapes
 * the real APIs return: DescribeStacks by name fails with a ValidationError once a stack is
 * deleted, by id it still answers DELETE_COMPLETE; events come newest first; list calls page.
 */
export const cfnMock = mockClient(CloudFormationClient);
export const s3Mock = mockClient(S3Client);
export const stsMock = mockClient(STSClient);
export const dynamoMock = mockClient(DynamoDBClient);
/** SSM holds the stage lock: PutParameter without Overwrite, GetParameter, DeleteParameter. */
export const ssmMock = mockClient(SSMClient);

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export interface FakeResource {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  readonly deletionPolicy?: string;
}

export interface FakeStackInput {
  readonly name: string;
  readonly status?: string;
  readonly terminationProtection?: boolean;
  readonly resources?: readonly FakeResource[];
  /** SSM parameter names the stack reads through SSM-typed template parameters. */
  readonly reads?: readonly string[];
  /** DeleteStack ends DELETE_FAILED with this resource reason. */
  readonly deleteFailure?: { readonly logicalId: string; readonly type: string; readonly reason: string };
  /** DeleteStack leaves the stack DELETE_IN_PROGRESS (for interruption tests). */
  readonly deleteHangs?: boolean;
}

interface FakeStack extends FakeStackInput {
  id: string;
  status: string;
  terminationProtection: boolean;
  events: StackEvent[];
}

export interface FakeWorld {
  readonly stacks: Map<string, FakeStack>;
  /** Mutating calls in the order they arrived, e.g. `DeleteStack orders-dev-api`. */
  readonly calls: string[];
  /** Bucket name -> object versions (`key@version`) and delete markers (`key@version!`). */
  readonly buckets: Map<string, string[]>;
  /** SSM parameters by name (the stage lock lives here while a destroy deletes). */
  readonly parameters: Map<string, string>;
  /** Tables by name: item count and deletion protection. */
  readonly tables: Map<string, { items: number; deletionProtection: boolean }>;
  /** Bucket name -> policy document (GetBucketPolicy), and buckets with object lock enabled. */
  readonly policies: Map<string, string>;
  readonly objectLock: Set<string>;
  /** Export name -> exporting stack name, and export name -> importing stack names. */
  readonly exports: Map<string, string>;
  readonly imports: Map<string, string[]>;
  /** Stacks outside the stage: name -> SSM parameter names their templates read. */
  readonly outsiders: Map<string, string[]>;
  onDelete?: (name: string) => void;
  onDeleteObjects?: (bucket: string) => void;
}

let clock = Date.UTC(2026, 10, 22, 10, 0, 0);
const tick = () => new Date((clock += 1000));

function validationError(message: string): Error {
  return Object.assign(new Error(message), { name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

function event(stack: FakeStack, logicalId: string, type: string, status: string, reason?: string): void {
  stack.events.unshift({
    StackId: stack.id,
    EventId: `${logicalId}-${status}-${clock}`,
    StackName: stack.name,
    LogicalResourceId: logicalId,
    PhysicalResourceId: logicalId === stack.name ? stack.id : logicalId,
    ResourceType: type,
    Timestamp: tick(),
    ResourceStatus: status as never,
    ...(reason ? { ResourceStatusReason: reason } : {}),
  });
}

function template(stack: FakeStack): string {
  const parameters = Object.fromEntries(
    (stack.reads ?? []).map((name, i) => [`SsmParameterValue${i}`, { Type: 'AWS::SSM::Parameter::Value<String>', Default: name }]),
  );
  return JSON.stringify({
    Parameters: {
      ...parameters,
      BootstrapVersion: {
        Type: 'AWS::SSM::Parameter::Value<String>',
        Default: '/cdk-bootstrap/hnb659fds/version',
        Description: 'Version of the CDK Bootstrap resources in this environment, automatically retrieved from SSM Parameter Store. [cdk:skip]',
      },
    },
    Resources: Object.fromEntries(
      (stack.resources ?? []).map((r) => [
        r.logicalId,
        { Type: r.type, Properties: {}, ...(r.deletionPolicy ? { DeletionPolicy: r.deletionPolicy, UpdateReplacePolicy: r.deletionPolicy } : {}) },
      ]),
    ),
  });
}

/** Installs the fake world into the mocks (call after resetting them). */
export function fakeAws(inputs: readonly FakeStackInput[], account = ACCOUNT): FakeWorld {
  const world: FakeWorld = {
    stacks: new Map(),
    calls: [],
    buckets: new Map(),
    parameters: new Map(),
    tables: new Map(),
    policies: new Map(),
    objectLock: new Set(),
    exports: new Map(),
    imports: new Map(),
    outsiders: new Map(),
  };
  for (const input of inputs) {
    const stack: FakeStack = {
      ...input,
      id: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${input.name}/${input.name.length}a1b2c3d4`,
      status: input.status ?? 'CREATE_COMPLETE',
      terminationProtection: Boolean(input.terminationProtection),
      events: [],
    };
    event(stack, stack.name, 'AWS::CloudFormation::Stack', 'CREATE_IN_PROGRESS', 'User Initiated');
    event(stack, stack.name, 'AWS::CloudFormation::Stack', stack.status);
    world.stacks.set(stack.name, stack);
  }
  const find = (nameOrId: string | undefined, allowDeleted: boolean): FakeStack => {
    for (const s of world.stacks.values()) {
      if (s.id === nameOrId && (allowDeleted || s.status !== 'DELETE_COMPLETE')) return s;
      if (s.name === nameOrId && s.status !== 'DELETE_COMPLETE') return s;
    }
    throw validationError(`Stack with id ${nameOrId} does not exist`);
  };

  stsMock.on(GetCallerIdentityCommand).resolves({ Account: account, Arn: `arn:aws:iam::${account}:user/ops`, UserId: 'AIDAEXAMPLE' });
  cfnMock.on(DescribeStacksCommand).callsFake((input: { StackName?: string }) => {
    if (input.StackName === undefined) {
      // Every live stack of the account: the stage's own and the others, with their SSM-typed parameters.
      const own = [...world.stacks.values()].filter((s) => s.status !== 'DELETE_COMPLETE');
      return {
        Stacks: [
          ...own.map((s) => ({ StackId: s.id, StackName: s.name, StackStatus: s.status, CreationTime: new Date(Date.UTC(2026, 10, 1)), Parameters: [] })),
          ...[...world.outsiders].map(([name, reads]) => ({
            StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${name}/0f0f0f0f`,
            StackName: name,
            StackStatus: 'CREATE_COMPLETE',
            CreationTime: new Date(Date.UTC(2026, 10, 1)),
            Parameters: reads.map((r, i) => ({ ParameterKey: `SsmParameterValue${i}`, ParameterValue: r, ResolvedValue: 'resolved' })),
          })),
        ],
      };
    }
    const s = find(input.StackName, true);
    return {
      Stacks: [
        {
          StackId: s.id,
          StackName: s.name,
          StackStatus: s.status,
          ...(s.status === 'DELETE_FAILED' ? { StackStatusReason: `The following resource(s) failed to delete: [${s.deleteFailure!.logicalId}]. ` } : {}),
          CreationTime: new Date(Date.UTC(2026, 10, 1)),
          EnableTerminationProtection: s.terminationProtection,
          Tags: [{ Key: 'stage', Value: 'dev' }],
          Parameters: [],
          Outputs: [],
          DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
        },
      ],
    };
  });
  cfnMock.on(GetTemplateCommand).callsFake((input: { StackName?: string }) => ({
    TemplateBody: template(find(input.StackName, true)),
    StagesAvailable: ['Original', 'Processed'],
  }));
  // Two resources per page, so every listing with more pages follows NextToken.
  cfnMock.on(ListStackResourcesCommand).callsFake((input: { StackName?: string; NextToken?: string }) => {
    const s = find(input.StackName, true);
    const start = Number(input.NextToken ?? 0);
    const page = (s.resources ?? []).slice(start, start + 2);
    return {
      StackResourceSummaries: page.map((r) => ({
        LogicalResourceId: r.logicalId,
        PhysicalResourceId: r.physicalId,
        ResourceType: r.type,
        LastUpdatedTimestamp: new Date(Date.UTC(2026, 10, 1)),
        ResourceStatus: 'CREATE_COMPLETE',
        DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
      })),
      ...(start + 2 < (s.resources ?? []).length ? { NextToken: String(start + 2) } : {}),
    };
  });
  cfnMock.on(DescribeStackEventsCommand).callsFake((input: { StackName?: string }) => ({ StackEvents: find(input.StackName, true).events }));
  cfnMock.on(UpdateTerminationProtectionCommand).callsFake((input: { StackName?: string; EnableTerminationProtection?: boolean }) => {
    const s = find(input.StackName, false);
    world.calls.push(`UpdateTerminationProtection ${s.name} ${input.EnableTerminationProtection}`);
    s.terminationProtection = Boolean(input.EnableTerminationProtection);
    return { StackId: s.id };
  });
  cfnMock.on(DeleteStackCommand).callsFake((input: { StackName?: string }) => {
    const s = find(input.StackName, false);
    world.calls.push(`DeleteStack ${s.name}`);
    if (s.terminationProtection) {
      throw validationError(`Stack [${s.name}] cannot be deleted while TerminationProtection is enabled`);
    }
    event(s, s.name, 'AWS::CloudFormation::Stack', 'DELETE_IN_PROGRESS', 'User Initiated');
    s.status = 'DELETE_IN_PROGRESS';
    world.onDelete?.(s.name);
    if (s.deleteHangs) return {};
    if (s.deleteFailure) {
      event(s, s.deleteFailure.logicalId, s.deleteFailure.type, 'DELETE_FAILED', s.deleteFailure.reason);
      event(s, s.name, 'AWS::CloudFormation::Stack', 'DELETE_FAILED', `The following resource(s) failed to delete: [${s.deleteFailure.logicalId}]. `);
      s.status = 'DELETE_FAILED';
      return {};
    }
    for (const r of s.resources ?? []) {
      const retained = r.deletionPolicy === 'Retain' || r.deletionPolicy === 'RetainExceptOnCreate';
      if (!retained && r.type === 'AWS::S3::Bucket' && (world.buckets.get(r.physicalId)?.length ?? 0) > 0) {
        throw new Error(`test setup: ${r.physicalId} was not emptied before DeleteStack`);
      }
      event(s, r.logicalId, r.type, retained ? 'DELETE_SKIPPED' : 'DELETE_COMPLETE');
    }
    event(s, s.name, 'AWS::CloudFormation::Stack', 'DELETE_COMPLETE');
    s.status = 'DELETE_COMPLETE';
    return {};
  });

  // S3: ListObjectVersions pages of at most MaxKeys entries (versions and markers together).
  s3Mock.on(ListObjectVersionsCommand).callsFake((input: { Bucket?: string; MaxKeys?: number; KeyMarker?: string; VersionIdMarker?: string }) => {
    const entries = world.buckets.get(input.Bucket ?? '');
    if (!entries) throw Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket', $fault: 'client', $metadata: { httpStatusCode: 404 } });
    // Entries are listed in (key, version) order; a marker continues after that position.
    const position = (e: string) => e.replace('!', '');
    const marker = input.KeyMarker ? `${input.KeyMarker}@${input.VersionIdMarker}` : '';
    const after = entries.filter((e) => position(e) > marker).sort((a, b) => position(a).localeCompare(position(b)));
    const page = after.slice(0, input.MaxKeys ?? 1000);
    const parse = (e: string) => {
      const [Key, version] = e.split('@') as [string, string];
      return { Key, VersionId: version.replace('!', ''), IsLatest: true, LastModified: new Date(Date.UTC(2026, 10, 1)) };
    };
    const last = page.length > 0 ? parse(page[page.length - 1]!) : undefined;
    const truncated = page.length < after.length;
    return {
      Name: input.Bucket,
      IsTruncated: truncated,
      ...(input.KeyMarker ? { KeyMarker: input.KeyMarker, VersionIdMarker: input.VersionIdMarker } : {}),
      ...(truncated && last ? { NextKeyMarker: last.Key, NextVersionIdMarker: last.VersionId } : {}),
      MaxKeys: input.MaxKeys ?? 1000,
      Versions: page.filter((e) => !e.endsWith('!')).map((e) => ({ ...parse(e), ETag: '"etag"', Size: 3, StorageClass: 'STANDARD' })),
      DeleteMarkers: page.filter((e) => e.endsWith('!')).map(parse),
    };
  });
  s3Mock.on(DeleteObjectsCommand).callsFake((input: { Bucket?: string; Delete?: { Objects?: { Key?: string; VersionId?: string }[] } }) => {
    const entries = world.buckets.get(input.Bucket ?? '') ?? [];
    const objects = input.Delete?.Objects ?? [];
    world.calls.push(`DeleteObjects ${input.Bucket} ${objects.length}`);
    world.onDeleteObjects?.(input.Bucket ?? '');
    const gone = new Set(objects.map((o) => `${o.Key}@${o.VersionId}`));
    world.buckets.set(
      input.Bucket ?? '',
      entries.filter((e) => !gone.has(e.replace('!', ''))),
    );
    return { Deleted: objects.map((o) => ({ Key: o.Key, VersionId: o.VersionId })) };
  });
  cfnMock.on(ListExportsCommand).callsFake(() => ({
    Exports: [...world.exports].map(([name, stack]) => ({ Name: name, Value: 'v', ExportingStackId: find(stack, true).id })),
  }));
  cfnMock.on(ListImportsCommand).callsFake((input: { ExportName?: string }) => {
    const importers = world.imports.get(input.ExportName ?? '') ?? [];
    if (importers.length === 0) throw validationError(`Export '${input.ExportName}' is not imported by any stack.`);
    return { Imports: importers };
  });
  const s3Error = (name: string, message: string, status: number) => Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
  s3Mock.on(GetObjectLockConfigurationCommand).callsFake((input: { Bucket?: string }) => {
    if (!world.objectLock.has(input.Bucket ?? '')) throw s3Error('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', 404);
    return { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 30 } } } };
  });
  s3Mock.on(GetBucketPolicyCommand).callsFake((input: { Bucket?: string }) => {
    const policy = world.policies.get(input.Bucket ?? '');
    if (!policy) throw s3Error('NoSuchBucketPolicy', 'The bucket policy does not exist', 404);
    return { Policy: policy };
  });
  s3Mock.on(HeadBucketCommand).callsFake((input: { Bucket?: string }) => {
    if (!world.buckets.has(input.Bucket ?? '')) throw s3Error('NotFound', 'UnknownError', 404);
    return { BucketRegion: REGION };
  });
  dynamoMock.on(DescribeTableCommand).callsFake((input: { TableName?: string }) => {
    const t = world.tables.get(input.TableName ?? '');
    if (!t) throw Object.assign(new Error(`Requested resource not found: Table: ${input.TableName} not found`), { name: 'ResourceNotFoundException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    return { Table: { TableName: input.TableName, TableStatus: 'ACTIVE', ItemCount: t.items, TableSizeBytes: t.items * 100, DeletionProtectionEnabled: t.deletionProtection } };
  });
  dynamoMock.on(UpdateTableCommand).callsFake((input: { TableName?: string; DeletionProtectionEnabled?: boolean }) => {
    const t = world.tables.get(input.TableName ?? '')!;
    world.calls.push(`UpdateTable ${input.TableName} DeletionProtectionEnabled=${input.DeletionProtectionEnabled}`);
    t.deletionProtection = Boolean(input.DeletionProtectionEnabled);
    return { TableDescription: { TableName: input.TableName, TableStatus: 'UPDATING', DeletionProtectionEnabled: t.deletionProtection } };
  });
  fakeParameters(world);
  return world;
}

/** SSM as the lock uses it, with the real errors: ParameterAlreadyExists, ParameterNotFound. */
function fakeParameters(world: FakeWorld): void {
  const error = (name: string, message: string) => Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
  ssmMock.on(PutParameterCommand).callsFake((input: { Name?: string; Value?: string; Overwrite?: boolean }) => {
    if (world.parameters.has(input.Name!) && !input.Overwrite) {
      throw error('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    }
    world.parameters.set(input.Name!, input.Value!);
    return { Version: 1, Tier: 'Standard' };
  });
  ssmMock.on(GetParameterCommand).callsFake((input: { Name?: string }) => {
    const value = world.parameters.get(input.Name!);
    if (value === undefined) throw error('ParameterNotFound', '');
    return { Parameter: { Name: input.Name, Type: 'String', Value: value, Version: 1, ARN: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${input.Name}`, DataType: 'text' } };
  });
  ssmMock.on(DeleteParameterCommand).callsFake((input: { Name?: string }) => {
    if (!world.parameters.delete(input.Name!)) throw error('ParameterNotFound', '');
    return {};
  });
}

export function resetMocks(): void {
  ssmMock.reset();
  dynamoMock.reset();
  cfnMock.reset();
  s3Mock.reset();
  stsMock.reset();
}

/** Environment for the engine: an endpoint (path-style S3; polled at AWS pace, which these fakes answer at once) and explicit keys. */
export const ENV = {
  AWS_ENDPOINT_URL: 'http://localhost:4599',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  SPEC3_MAX_ATTEMPTS: '1',
};
