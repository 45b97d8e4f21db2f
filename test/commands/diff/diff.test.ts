import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { GetBucketLocationCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { AssumeRoleCommand } from '@aws-sdk/nested-clients/sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { run, type DiffOptions, type DiffResult, type StackDiff } from '../../../src/commands/diff/index.js';
import { AbortError, type Spec3Error } from '../../../src/errors.js';
import { TestIo } from '../../helpers/io.js';
import { useTempDirs } from '../../helpers/tmp.js';
import {
  apiTemplate,
  assumeRole,
  CHANGE_SET_ID,
  cfn,
  changeSet,
  computeTemplate,
  deployed,
  ENV,
  EXEC_ROLE,
  KEY_ARN,
  KEY_NAME,
  KEY_PARAM,
  LOOKUP_ROLE,
  modify,
  resetAws,
  ssmValues,
  storageTemplate,
  sts,
  writeStage,
} from './fake-stage.js';

const s3 = mockClient(S3Client);
const tempDir = useTempDirs();
let dir = '';

beforeEach(async () => {
  resetAws();
  s3.reset();
  dir = await tempDir();
});

/** Storage and compute deployed with these templates (storage read the key ARN at its deploy); api not deployed. */
function deployedStage(storage = storageTemplate(), compute = computeTemplate(), resolvedKey = KEY_ARN): void {
  deployed({
    'orders-dev-storage': { template: storage, parameters: { [KEY_PARAM]: [KEY_NAME, resolvedKey] } },
    'orders-dev-compute': { template: compute },
  });
  ssmValues({ [KEY_NAME]: KEY_ARN });
}

async function diff(local: { storage?: object; compute?: object; api?: object }, options: Partial<DiffOptions> = {}, io = new TestIo()) {
  const assembly = await writeStage(dir, { storage: local.storage ?? storageTemplate(), compute: local.compute ?? computeTemplate(), api: local.api ?? apiTemplate() });
  return run({ stage: 'dev', assembly, ...options }, { cwd: dir, io, env: ENV });
}

const byName = (result: DiffResult): Record<string, StackDiff> => Object.fromEntries(result.stacks.map((s) => [s.name.replace('orders-dev-', ''), s]));

/** The access key that signed a mocked call (the fakes replace `send`, so the client's own provider is asked). */
async function signer(call: { thisValue: unknown }): Promise<string> {
  return (await (call.thisValue as CloudFormationClient).config.credentials()).accessKeyId;
}

describe('diff: templates', () => {
  it('shows a stack not deployed as new, an unchanged one as such, and a modification in the library rendering', async () => {
    deployedStage();
    const io = new TestIo();
    const result = await diff({ compute: computeTemplate({ memory: 512 }) }, {}, io);
    const { storage, compute, api } = byName(result);

    expect(result).toMatchObject({ project: 'orders', stage: 'dev', account: '123456789012', region: 'us-east-1' });
    expect(storage).toEqual({
      name: 'orders-dev-storage',
      phase: 'foundation',
      status: 'unchanged',
      stackStatus: 'CREATE_COMPLETE',
      resources: [],
      security: { broadened: false, iam: [], securityGroups: [] },
      text: '',
    });
    expect(compute).toMatchObject({ status: 'changed', resources: [{ logicalId: 'Api', type: 'AWS::Lambda::Function', change: 'modify', replacement: false }] });
    expect(compute!.text).toBe(['Resources', '[~] AWS::Lambda::Function Api', ' └─ [~] MemorySize', '     ├─ [-] 256', '     └─ [+] 512', ''].join('\n'));
    expect(api).toMatchObject({ status: 'new', resources: [{ logicalId: 'RestApi', type: 'AWS::ApiGateway::RestApi', change: 'add' }] });
    expect(api!.stackStatus).toBeUndefined();
    expect(api!.text).toContain('[+] AWS::ApiGateway::RestApi RestApi');
    // What every CDK template carries is left out, as `cdk diff` leaves it out.
    expect(api!.text).not.toContain('CheckBootstrapVersion');

    // The deployed templates as they were submitted, of the deployed stacks only, through the lookup role.
    const reads = cfn.commandCalls(GetTemplateCommand);
    expect(reads.map((c) => c.args[0].input).sort((a, b) => a.StackName!.localeCompare(b.StackName!))).toEqual([
      { StackName: 'orders-dev-compute', TemplateStage: 'Original' },
      { StackName: 'orders-dev-storage', TemplateStage: 'Original' },
    ]);
    expect(await Promise.all(reads.map(signer))).toEqual(['ASIALOOKUP', 'ASIALOOKUP']);
    expect(assumeRole.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([LOOKUP_ROLE]);
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);

    expect(io.events.filter((e) => e.code === 'DIFF_STACK').map((e) => e.message).sort()).toEqual([
      'orders-dev-api: not deployed; 1 to add',
      'orders-dev-compute: 1 to modify',
      'orders-dev-storage: no differences',
    ]);
  });

  it('calls out a replacement and access that widens', async () => {
    deployedStage();
    const result = await diff({ storage: storageTemplate('orders-dev-orders'), compute: computeTemplate({ extraStatement: true }) });
    const { storage, compute } = byName(result);
    expect(storage!.resources).toEqual([{ logicalId: 'Table', type: 'AWS::DynamoDB::Table', change: 'modify', replacement: true }]);
    expect(storage!.text).toContain('[~] AWS::DynamoDB::Table Table replace');
    expect(storage!.security.broadened).toBe(false);
    expect(compute!.security).toEqual({
      broadened: true,
      iam: ['+ Allow s3:GetObject on arn:aws:s3:::orders-dev-data/* to AWS:${ApiRole}'],
      securityGroups: [],
    });
    expect(compute!.text).toContain('IAM Statement Changes');
  });

  it('counts an SSM parameter whose value changed since the deploy as a change, with the same template', async () => {
    deployedStage(storageTemplate(), computeTemplate(), `${KEY_ARN}-before`);
    const { storage } = byName(await diff({}));
    expect(storage).toMatchObject({ status: 'changed', resources: [], parameters: [KEY_NAME], text: '' });
  });

  it('counts changed stack tags as a change', async () => {
    deployed({
      'orders-dev-storage': { template: storageTemplate(), parameters: { [KEY_PARAM]: [KEY_NAME, KEY_ARN] }, tags: { 'managed-by': 'spec3', project: 'orders', stage: 'test', 'spec3:phase': 'foundation' } },
      'orders-dev-compute': { template: computeTemplate() },
    });
    ssmValues({ [KEY_NAME]: KEY_ARN });
    const { storage, compute } = byName(await diff({}));
    expect(storage).toMatchObject({ status: 'changed', settings: ['tag stage changed from test to dev'] });
    expect(compute!.status).toBe('unchanged');
  });

  it('shows a stack whose create failed as new, since a deploy replaces it, and makes it no change set', async () => {
    deployed({
      'orders-dev-storage': { template: storageTemplate(), parameters: { [KEY_PARAM]: [KEY_NAME, KEY_ARN] } },
      'orders-dev-compute': { template: computeTemplate(), status: 'ROLLBACK_COMPLETE' },
    });
    ssmValues({ [KEY_NAME]: KEY_ARN });
    const { compute } = byName(await diff({}, { stacks: ['compute'], changeSet: true }));
    expect(compute).toMatchObject({ status: 'new', stackStatus: 'ROLLBACK_COMPLETE' });
    expect(compute!.resources.map((r) => r.change)).toEqual(['add', 'add', 'add']);
    expect(compute!.changeSetSkipped).toContain('ROLLBACK_COMPLETE after a failed create');
    expect(cfn.commandCalls(GetTemplateCommand)).toHaveLength(0);
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it('reads with the current credentials, saying why, when the lookup role cannot be assumed', async () => {
    deployedStage();
    assumeRole.on(AssumeRoleCommand).rejects(
      Object.assign(new Error(`User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on resource: ${LOOKUP_ROLE}`), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const io = new TestIo();
    await diff({}, { phase: 'foundation' }, io);
    expect(io.events.find((e) => e.code === 'LOOKUP_ROLE_UNAVAILABLE')?.message).toContain(`Could not assume ${LOOKUP_ROLE}`);
    expect(await Promise.all(cfn.commandCalls(GetTemplateCommand).map(signer))).toEqual(['AKIDCALLER']);
  });

  it('refuses credentials of another account before reading any stack', async () => {
    deployedStage();
    sts.on(GetCallerIdentityCommand).resolves({ Account: '210987654321', Arn: 'arn:aws:iam::210987654321:user/ci', UserId: 'AIDAOTHER' });
    await expect(diff({})).rejects.toMatchObject({ code: 'WRONG_ACCOUNT' });
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(0);
    expect(cfn.commandCalls(GetTemplateCommand)).toHaveLength(0);
  });
});

describe('diff --change-set', () => {
  const complete = (changes: object[], NextToken?: string) => ({ Status: 'CREATE_COMPLETE' as const, Changes: changes as never, ...(NextToken ? { NextToken } : {}) });

  it("lists CloudFormation's plan (every page), made through the deploy role and deleted; a new stack gets none", async () => {
    deployedStage();
    changeSet([{ Status: 'CREATE_PENDING' }, { Status: 'CREATE_IN_PROGRESS' }, complete([modify('Api', 'AWS::Lambda::Function', 'MemorySize')], 'page-2')], {
      'page-2': complete([modify('ApiRoleDefaultPolicy', 'AWS::IAM::Policy', 'PolicyDocument', 'Conditional')]),
    });
    const local = computeTemplate({ memory: 512 });
    const io = new TestIo();
    const { storage, compute, api } = byName(await diff({ compute: local }, { changeSet: true }, io));

    expect(compute!.changeSet).toEqual([
      {
        action: 'Modify',
        logicalId: 'Api',
        physicalId: 'orders-dev-api',
        type: 'AWS::Lambda::Function',
        replacement: 'False',
        scope: ['Properties'],
        details: ['Properties.MemorySize: DirectModification, Static, recreation Never'],
      },
      {
        action: 'Modify',
        logicalId: 'ApiRoleDefaultPolicy',
        physicalId: 'orders-dev-apiroledefaultpolicy',
        type: 'AWS::IAM::Policy',
        replacement: 'Conditional',
        scope: ['Properties'],
        details: ['Properties.PolicyDocument: DirectModification, Static, recreation Never'],
      },
    ]);
    expect(api!.changeSet).toBeUndefined();
    expect(api!.changeSetSkipped).toContain('REVIEW_IN_PROGRESS');
    expect(storage!.changeSet).toBeUndefined();
    expect(storage!.changeSetSkipped).toBeUndefined();

    const [create] = cfn.commandCalls(CreateChangeSetCommand);
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(1);
    expect(create!.args[0].input).toMatchObject({
      StackName: 'orders-dev-compute',
      ChangeSetType: 'UPDATE',
      TemplateBody: JSON.stringify(local),
      RoleARN: EXEC_ROLE,
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
    });
    expect(create!.args[0].input.ChangeSetName).toMatch(/^spec3-diff-\d+$/);
    expect(create!.args[0].input.Tags).toContainEqual({ Key: 'spec3:phase', Value: 'app' });
    expect(await signer(create!)).toBe('ASIADEPLOY');
    expect(cfn.commandCalls(DescribeChangeSetCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, undefined, undefined, 'page-2']);
    expect(cfn.commandCalls(DeleteChangeSetCommand).map((c) => c.args[0].input)).toEqual([{ ChangeSetName: CHANGE_SET_ID, StackName: 'orders-dev-compute' }]);
    expect(io.codes()).toContain('CHANGE_SET_DONE');
  });

  it('deletes a change set CloudFormation failed, and fails with its reason', async () => {
    deployedStage();
    const reason = 'Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template';
    changeSet([{ Status: 'CREATE_IN_PROGRESS' }, { Status: 'FAILED', StatusReason: reason }]);
    const error = (await diff({ compute: computeTemplate({ memory: 512 }) }, { changeSet: true }).catch((e: unknown) => e)) as Spec3Error;
    expect(error).toMatchObject({ code: 'CHANGE_SET_FAILED' });
    expect(error.message).toBe(`orders-dev-compute: CloudFormation could not compute a change set: ${reason}`);
    expect(cfn.commandCalls(DeleteChangeSetCommand).map((c) => c.args[0].input)).toEqual([{ ChangeSetName: CHANGE_SET_ID, StackName: 'orders-dev-compute' }]);
  });

  it('answers an empty plan for a change set without changes, and deletes it', async () => {
    deployedStage(storageTemplate(), computeTemplate(), `${KEY_ARN}-before`);
    changeSet([{ Status: 'FAILED', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set." }]);
    const { storage } = byName(await diff({}, { changeSet: true }));
    expect(storage).toMatchObject({ status: 'changed', parameters: [KEY_NAME], changeSet: [] });
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
  });

  it('Ctrl-C while CloudFormation computes: the change set is deleted and the run ends as interrupted', async () => {
    deployedStage();
    changeSet([{ Status: 'CREATE_IN_PROGRESS' }]);
    const controller = new AbortController();
    cfn.on(DescribeChangeSetCommand).callsFake(() => {
      controller.abort();
      return { ChangeSetId: CHANGE_SET_ID, Status: 'CREATE_IN_PROGRESS', ExecutionStatus: 'UNAVAILABLE' };
    });
    const error = await diff({ compute: computeTemplate({ memory: 512 }) }, { changeSet: true, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).message).toContain('deleted');
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
  });

  it('names a change set it could not delete, with the command that deletes it', async () => {
    deployedStage();
    changeSet([complete([modify('Api', 'AWS::Lambda::Function', 'MemorySize')])]);
    cfn.on(DeleteChangeSetCommand).rejects(
      Object.assign(new Error('User: arn:aws:sts::123456789012:assumed-role/deploy is not authorized to perform: cloudformation:DeleteChangeSet'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const error = (await diff({ compute: computeTemplate({ memory: 512 }) }, { changeSet: true }).catch((e: unknown) => e)) as Spec3Error;
    expect(error).toMatchObject({ code: 'CHANGE_SET_NOT_DELETED' });
    expect(error.message).toContain('AccessDenied');
    expect(error.hint).toBe(`Delete it by hand: aws cloudformation delete-change-set --stack-name orders-dev-compute --change-set-name ${CHANGE_SET_ID}`);
  });

  it('fails with the reason when CloudFormation refuses to create the change set', async () => {
    deployedStage();
    changeSet([]);
    cfn.on(CreateChangeSetCommand).rejects(
      Object.assign(new Error('Stack:arn:aws:cloudformation:us-east-1:123456789012:stack/orders-dev-compute/1f0c is in UPDATE_IN_PROGRESS state and can not be updated.'), {
        name: 'ValidationError',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const error = (await diff({ compute: computeTemplate({ memory: 512 }) }, { changeSet: true }).catch((e: unknown) => e)) as Spec3Error;
    expect(error).toMatchObject({ code: 'CHANGE_SET_FAILED' });
    expect(error.message).toContain('is in UPDATE_IN_PROGRESS state');
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(0);
  });

  it("sends a template over 51,200 bytes by URL, publishing that stack's template only", async () => {
    deployedStage();
    changeSet([complete([modify('Api', 'AWS::Lambda::Function', 'MemorySize')])]);
    s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: undefined });
    s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) => ({ Contents: [{ Key: input.Prefix, Size: 60_000 }], KeyCount: 1 }));
    const { compute } = byName(await diff({ compute: computeTemplate({ memory: 512, padding: 60_000 }) }, { changeSet: true }));
    expect(compute!.changeSet).toHaveLength(1);
    const input = cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input;
    expect(input.TemplateURL).toBe('https://s3.us-east-1.amazonaws.com/cdk-hnb659fds-assets-123456789012-us-east-1/computetemplatehash.json');
    expect(input.TemplateBody).toBeUndefined();
    // Found already in the bucket; the function code beside it in the manifest was not looked at.
    expect(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.Prefix)).toEqual(['computetemplatehash.json']);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
