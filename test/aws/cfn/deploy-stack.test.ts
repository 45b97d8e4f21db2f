import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  UpdateTerminationProtectionCommand,
  type Stack,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../../../src/aws/clients.js';
import { deployStack } from '../../../src/aws/cfn/deploy-stack.js';
import { toDeployed } from '../../../src/aws/cfn/stacks.js';

// Responses below follow the shapes CloudFormation returns (DescribeStacks, DescribeChangeSet, DescribeStackEvents).
const cfn = mockClient(CloudFormationClient);
const aws = new AwsClients({ region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const name = 'demo-dev-storage';
const id = `arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/1b2c`;
const csId = `arn:aws:cloudformation:us-east-1:123456789012:changeSet/spec3-1/9f8e`;
const created = new Date('2026-11-22T10:00:00Z');
const stack = (StackStatus: StackStatus, extra: object = {}): Stack => ({
  StackId: id,
  StackName: name,
  StackStatus,
  CreationTime: created,
  EnableTerminationProtection: false,
  Tags: [],
  Parameters: [],
  Outputs: [],
  ...extra,
});
const input = { name, templateBody: '{"Resources":{}}', tags: { stage: 'dev' }, terminationProtection: false };
const hooks = { pollMs: 1, maxPollMs: 2 };

beforeEach(() => {
  cfn.reset();
  cfn.on(CreateChangeSetCommand).resolves({ Id: csId, StackId: id });
  cfn.on(ExecuteChangeSetCommand).resolves({});
  cfn.on(DeleteChangeSetCommand).resolves({});
});

describe('deployStack', () => {
  it('creates through a change set and reports the changes', async () => {
    cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'CREATE_COMPLETE',
      ExecutionStatus: 'AVAILABLE',
      CreationTime: created,
      Changes: [{ Type: 'Resource', ResourceChange: { Action: 'Add', LogicalResourceId: 'Bucket', ResourceType: 'AWS::S3::Bucket' } }],
    });
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('CREATE_COMPLETE', { Outputs: [{ OutputKey: 'BucketName', OutputValue: 'b1' }] })] });
    const seen: unknown[] = [];
    const out = await deployStack(aws, input, undefined, { ...hooks, onChanges: (c) => seen.push(...c) });
    expect(out.action).toBe('created');
    expect(out.stack.outputs).toEqual({ BucketName: 'b1' });
    expect(seen).toEqual([{ action: 'Add', logicalId: 'Bucket', type: 'AWS::S3::Bucket' }]);
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input).toMatchObject({ ChangeSetType: 'CREATE', Tags: [{ Key: 'stage', Value: 'dev' }] });
  });

  it('treats an empty change set as no changes and deletes it', async () => {
    cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'FAILED',
      StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set.",
    });
    const out = await deployStack(aws, input, toDeployed(stack('UPDATE_COMPLETE')), hooks);
    expect(out.action).toBe('no-changes');
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
  });

  it('fails with the resource reason from the events, first cause first', async () => {
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', CreationTime: created, Changes: [] });
    cfn.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        { StackId: id, EventId: 'e3', StackName: name, LogicalResourceId: name, ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: 'UPDATE_ROLLBACK_COMPLETE', Timestamp: new Date('2026-11-22T10:00:09Z') },
        { StackId: id, EventId: 'e2', StackName: name, LogicalResourceId: 'Queue', ResourceType: 'AWS::SQS::Queue', ResourceStatus: 'UPDATE_FAILED', ResourceStatusReason: 'Resource update cancelled', Timestamp: new Date('2026-11-22T10:00:06Z') },
        { StackId: id, EventId: 'e1', StackName: name, LogicalResourceId: 'Table', ResourceType: 'AWS::DynamoDB::Table', ResourceStatus: 'UPDATE_FAILED', ResourceStatusReason: 'Table already exists: demo-dev-table', Timestamp: new Date('2026-11-22T10:00:05Z') },
        { StackId: id, EventId: 'old', StackName: name, LogicalResourceId: 'Table', ResourceType: 'AWS::DynamoDB::Table', ResourceStatus: 'CREATE_FAILED', ResourceStatusReason: 'an earlier failure', Timestamp: new Date('2026-11-21T10:00:00Z') },
      ],
    });
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_ROLLBACK_COMPLETE')] });
    await expect(deployStack(aws, input, toDeployed(stack('UPDATE_COMPLETE')), hooks)).rejects.toMatchObject({
      code: 'STACK_FAILED',
      message: `${name} failed: UPDATE_ROLLBACK_COMPLETE\n  Table (AWS::DynamoDB::Table): Table already exists: demo-dev-table`,
    });
  });

  it('replaces a stack whose creation rolled back', async () => {
    cfn.on(DeleteStackCommand).resolves({});
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('DELETE_COMPLETE')] })
      .resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', CreationTime: created, Changes: [] });
    const notices: string[] = [];
    const out = await deployStack(aws, input, toDeployed(stack('ROLLBACK_COMPLETE')), { ...hooks, onNotice: (m) => notices.push(m) });
    expect(out.action).toBe('created');
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(1);
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input.ChangeSetType).toBe('CREATE');
    expect(notices[0]).toContain('ROLLBACK_COMPLETE after a failed create');
  });

  it('waits for an operation already in progress before starting', async () => {
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('UPDATE_IN_PROGRESS')] })
      .resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', CreationTime: created, Changes: [] });
    const notices: string[] = [];
    const out = await deployStack(aws, input, toDeployed(stack('UPDATE_IN_PROGRESS')), { ...hooks, onNotice: (m) => notices.push(m) });
    expect(notices[0]).toBe(`${name} is UPDATE_IN_PROGRESS; waiting for it to finish first`);
    expect(out.action).toBe('updated');
  });

  it('refuses a stack only an operator can recover, naming the step', async () => {
    await expect(deployStack(aws, input, toDeployed(stack('UPDATE_ROLLBACK_FAILED', { StackStatusReason: 'Bucket could not be restored' })), hooks)).rejects.toMatchObject({
      code: 'STACK_ROLLBACK_FAILED',
      hint: expect.stringContaining(`continue-update-rollback --stack-name ${name}`),
    });
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it('sets termination protection after the change set, which cannot carry it', async () => {
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', CreationTime: created, Changes: [] });
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    cfn.on(UpdateTerminationProtectionCommand).resolves({ StackId: id });
    await deployStack(aws, { ...input, terminationProtection: true }, undefined, hooks);
    expect(cfn.commandCalls(UpdateTerminationProtectionCommand)[0]!.args[0].input).toEqual({ StackName: name, EnableTerminationProtection: true });
  });

  it('an ExecuteChangeSet that failed after CloudFormation took it (retried, lost answer) is waited on, not reported', async () => {
    cfn.on(ExecuteChangeSetCommand).rejects(
      Object.assign(new Error(`ChangeSet [${csId}] cannot be executed in its current status of [EXECUTE_IN_PROGRESS]`), { name: 'InvalidChangeSetStatusException' }),
    );
    cfn
      .on(DescribeChangeSetCommand)
      .resolvesOnce({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', CreationTime: created, Changes: [] })
      .resolves({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'EXECUTE_IN_PROGRESS', CreationTime: created, Changes: [] });
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    const out = await deployStack(aws, input, undefined, hooks);
    expect(out.action).toBe('created');
  });

  it('an ExecuteChangeSet that failed for good: the error names the stack and the state CloudFormation reports', async () => {
    cfn.on(ExecuteChangeSetCommand).rejects(Object.assign(new Error('An internal error occurred'), { name: 'InternalFailure' }));
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', CreationTime: created, Changes: [] });
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('REVIEW_IN_PROGRESS')] });
    // InternalFailure is a fault of the service: named as such, with the stack's state.
    await expect(deployStack(aws, input, undefined, hooks)).rejects.toMatchObject({
      code: 'AWS_UNAVAILABLE',
      message: `${name}: ExecuteChangeSet failed: InternalFailure: An internal error occurred\n  CloudFormation reports ${name} as REVIEW_IN_PROGRESS: the change set was not executed and none of its resources exist yet.`,
    });
  });

  it('a CreateChangeSet that failed for good on an existing stack: the stack is as it was', async () => {
    cfn.on(CreateChangeSetCommand).rejects(Object.assign(new Error('Service is unavailable'), { name: 'ServiceUnavailable' }));
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    await expect(deployStack(aws, input, toDeployed(stack('UPDATE_COMPLETE')), hooks)).rejects.toMatchObject({
      code: 'AWS_UNAVAILABLE',
      message: expect.stringContaining(`CloudFormation reports ${name} as UPDATE_COMPLETE: the change set was not executed, so the stack is as it was.`),
    });
  });

  it('a blip on DescribeChangeSet (503, then answers again) does not fail the deploy: the poll is made again', async () => {
    const retrying = new AwsClients({ region: 'us-east-1', maxAttempts: 3, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    cfn
      .on(DescribeChangeSetCommand)
      .rejectsOnce(Object.assign(new Error('Service is unavailable'), { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } }))
      .resolves({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', CreationTime: created, Changes: [] });
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    expect((await deployStack(retrying, input, undefined, hooks)).action).toBe('created');
    expect(cfn.commandCalls(DescribeChangeSetCommand)).toHaveLength(2);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(0);
  });

  it('a DescribeChangeSet that keeps failing: the change set is deleted (not left AVAILABLE) and the stack state named', async () => {
    cfn.on(DescribeChangeSetCommand).rejects(Object.assign(new Error('Service is unavailable'), { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } }));
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    await expect(deployStack(aws, input, toDeployed(stack('UPDATE_COMPLETE')), hooks)).rejects.toMatchObject({
      code: 'AWS_UNAVAILABLE',
      message: expect.stringContaining(`CloudFormation reports ${name} as UPDATE_COMPLETE: the change set was not executed, so the stack is as it was.`),
    });
    expect(cfn.commandCalls(DeleteChangeSetCommand)[0]!.args[0].input).toEqual({ ChangeSetName: csId, StackName: name });
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
  });

  it('credentials expiring while the change set runs: the error says it ran, with the state read again', async () => {
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', CreationTime: created, Changes: [] });
    cfn.on(DescribeStackEventsCommand).rejects(Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken', $fault: 'client', $metadata: { httpStatusCode: 403 } }));
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_IN_PROGRESS')] });
    const error = await deployStack(aws, input, toDeployed(stack('UPDATE_COMPLETE')), hooks).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'AWS_CREDENTIALS_EXPIRED',
      changeSetRan: true,
      message: expect.stringContaining(`CloudFormation reports ${name} as UPDATE_IN_PROGRESS: its change set was executed and CloudFormation is still working on it`),
      hint: expect.stringContaining('aws sso login'),
    });
  });

  it('a CreateChangeSet retried after its answer was lost (AlreadyExists) goes on with the change set of that name', async () => {
    cfn.on(CreateChangeSetCommand).rejects(Object.assign(new Error('ChangeSet spec3-1 already exists'), { name: 'AlreadyExistsException' }));
    cfn.on(DescribeChangeSetCommand).resolves({ ChangeSetId: csId, Status: 'CREATE_COMPLETE', CreationTime: created, Changes: [] });
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    expect((await deployStack(aws, input, undefined, hooks)).action).toBe('created');
    expect(cfn.commandCalls(ExecuteChangeSetCommand)[0]!.args[0].input.ChangeSetName).toBe(csId);
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input.ClientToken).toMatch(/^spec3-\d+$/);
  });
});
