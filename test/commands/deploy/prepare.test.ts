import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AssemblyStack } from '../../../src/aws/assembly.js';
import { AwsClients } from '../../../src/aws/clients.js';
import { prepareStacks } from '../../../src/commands/deploy/prepare.js';
import { TemplateRecord } from '../../../src/commands/deploy/template-record.js';
import { useTempDirs } from '../../helpers/tmp.js';

const cfn = mockClient(CloudFormationClient);
const ssm = mockClient(SSMClient);
const tempDir = useTempDirs();
const aws = new AwsClients({ region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/demo-dev-storage/1f0c2e40-0000-11ef-9a6b-0a1b2c3d4e5f';
const template = { Resources: { Table: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST' } } } };

let dir = '';
let stack: AssemblyStack;
/**
 * DescribeStacks as CloudFormation answers it for a deployed stack last updated at `updated`; with
 * none, a stack never updated since its creation, which AWS answers without LastUpdatedTime.
 */
const deployedAt = (updated?: Date) =>
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'demo-dev-storage',
        StackId: STACK_ID,
        StackStatus: updated ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE',
        CreationTime: new Date('2026-11-01T10:00:00.000Z'),
        ...(updated ? { LastUpdatedTime: updated } : {}),
        EnableTerminationProtection: false,
        Tags: [{ Key: 'stage', Value: 'dev' }],
      },
    ],
  });

beforeEach(async () => {
  dir = await tempDir();
  const templateFile = path.join(dir, 'demo-dev-storage.template.json');
  await writeFile(templateFile, JSON.stringify(template));
  stack = { name: 'demo-dev-storage', phase: 'foundation', templateFile, tags: { stage: 'dev' }, terminationProtection: false } as unknown as AssemblyStack;
  cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(template) });
  ssm.on(GetParametersCommand).resolves({ Parameters: [], InvalidParameters: [] });
});
afterEach(() => {
  cfn.reset();
  ssm.reset();
});

describe('prepareStacks with the template record', () => {
  it('downloads the deployed template the first time, and not again while the stack is unchanged', async () => {
    deployedAt(new Date('2026-11-20T08:00:00.000Z'));
    const record = await TemplateRecord.load(dir, 'dev');
    const first = await prepareStacks(aws, [stack], [stack], record);
    expect(first.prepared[0]!.reason).toBeUndefined();
    expect(cfn.commandCalls(GetTemplateCommand)).toHaveLength(1);
    record.set(first.prepared[0]!.deployed!, first.prepared[0]!.body);
    await record.save();

    const again = await prepareStacks(aws, [stack], [stack], await TemplateRecord.load(dir, 'dev'));
    expect(again.prepared[0]!.reason).toBeUndefined();
    expect(cfn.commandCalls(GetTemplateCommand)).toHaveLength(1);
  });

  it('downloads it again once anything else has updated the stack, and sees that change', async () => {
    deployedAt(new Date('2026-11-20T08:00:00.000Z'));
    const record = await TemplateRecord.load(dir, 'dev');
    const first = await prepareStacks(aws, [stack], [stack], record);
    record.set(first.prepared[0]!.deployed!, first.prepared[0]!.body);

    // Someone deployed another template with another tool: only the last-update time tells.
    deployedAt(new Date('2026-11-21T09:30:00.000Z'));
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify({ Resources: {} }) });
    const after = await prepareStacks(aws, [stack], [stack], record);
    expect(cfn.commandCalls(GetTemplateCommand)).toHaveLength(2);
    expect(after.prepared[0]!.reason).toBe('template changed');
  });

  it('knows a stack never updated by its creation time, and sees its first update from elsewhere', async () => {
    deployedAt();
    const record = await TemplateRecord.load(dir, 'dev');
    const first = await prepareStacks(aws, [stack], [stack], record);
    record.set(first.prepared[0]!.deployed!, first.prepared[0]!.body);
    expect((await prepareStacks(aws, [stack], [stack], record)).prepared[0]!.reason).toBeUndefined();
    expect(cfn.commandCalls(GetTemplateCommand)).toHaveLength(1);

    // The first update of the stack, by anything: LastUpdatedTime appears.
    deployedAt(new Date('2026-11-02T07:15:00.000Z'));
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify({ Resources: {} }) });
    const after = await prepareStacks(aws, [stack], [stack], record);
    expect(cfn.commandCalls(GetTemplateCommand)).toHaveLength(2);
    expect(after.prepared[0]!.reason).toBe('template changed');
  });

  it('does not trust the record for a local template that changed, or a corrupt record file', async () => {
    deployedAt(new Date('2026-11-20T08:00:00.000Z'));
    const record = await TemplateRecord.load(dir, 'dev');
    const first = await prepareStacks(aws, [stack], [stack], record);
    record.set(first.prepared[0]!.deployed!, first.prepared[0]!.body);
    expect(record.has(first.prepared[0]!.deployed!, JSON.stringify({ Resources: {} }))).toBe(false);
    expect(record.has({ ...first.prepared[0]!.deployed!, id: `${STACK_ID}-recreated` }, first.prepared[0]!.body)).toBe(false);

    await record.save();
    expect((await TemplateRecord.load(dir, 'dev')).has(first.prepared[0]!.deployed!, first.prepared[0]!.body)).toBe(true);
    await writeFile(path.join(dir, '.spec3', 'dev', 'templates.json'), '{ not json');
    const corrupt = await TemplateRecord.load(dir, 'dev');
    expect(corrupt.has(first.prepared[0]!.deployed!, first.prepared[0]!.body)).toBe(false);
  });
});
