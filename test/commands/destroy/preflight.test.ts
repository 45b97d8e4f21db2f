import { DeleteObjectsCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import { run, type DestroyOptions, type DestroyPlan } from '../../../src/commands/destroy/index.js';
import { deletesDenied } from '../../../src/aws/buckets.js';
import { renderDestroyPlan } from '../../../src/cli/render/destroy.js';
import type { Spec3Error } from '../../../src/errors.js';
import { TestIo } from '../../helpers/io.js';
import { writeProject } from '../../helpers/project.js';
import { useTempDirs } from '../../helpers/tmp.js';
import { cfnMock, ENV, fakeAws, resetMocks, s3Mock, type FakeStackInput } from './fake-aws.js';
import { DeleteStackCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { Chalk } from 'chalk';

const tempDir = useTempDirs();
const TABLE = 'orders-dev-table';
const BUCKET = 'orders-dev-data-123456789012-us-east-1';
const storage: FakeStackInput = {
  name: 'orders-dev-storage',
  resources: [
    { logicalId: 'DataBucket', type: 'AWS::S3::Bucket', physicalId: BUCKET },
    { logicalId: 'Table', type: 'AWS::DynamoDB::Table', physicalId: TABLE },
    { logicalId: 'KeptBucket', type: 'AWS::S3::Bucket', physicalId: 'orders-dev-kept', deletionPolicy: 'Retain' },
  ],
};

let dir: string;
beforeEach(async () => {
  resetMocks();
  dir = await tempDir();
  await writeProject(dir);
});

async function destroy(options: Partial<DestroyOptions> = {}, env: Record<string, string | undefined> = ENV) {
  const io = new TestIo({ DESTROY_CONFIRM: options.stage ?? 'dev' });
  const outcome = await run({ stage: 'dev', ...options }, { cwd: dir, io, env }).then(
    (result) => ({ result, error: undefined }),
    (error: unknown) => ({ result: undefined, error: error as Spec3Error }),
  );
  return { ...outcome, io, plan: io.events.find((e) => e.code === 'DESTROY_PLAN')?.data as DestroyPlan | undefined };
}

/** Nothing deleted at all: no object, no stack. */
function nothingDeleted(): void {
  expect(s3Mock.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
  expect(cfnMock.commandCalls(DeleteStackCommand)).toHaveLength(0);
}

describe('destroy preflight: refused before anything is deleted', () => {
  it('the refusal hints the destroy to run again as this run was started (npx)', async () => {
    const world = fakeAws([storage]);
    world.tables.set(TABLE, { items: 42, deletionProtection: true });
    const { error } = await destroy({ force: true }, { ...ENV, npm_lifecycle_script: 'spec3' });
    expect(error).toMatchObject({ code: 'DESTROY_BLOCKED', hint: 'Fix each one as shown above, then run `npx spec3 destroy dev` again.' });
    nothingDeleted();
  });

  it('a table with deletion protection: refused naming the table and the command that turns it off', async () => {
    const world = fakeAws([storage]);
    world.buckets.set(BUCKET, ['a@1', 'b@1']);
    world.tables.set(TABLE, { items: 42, deletionProtection: true });
    const { error, io } = await destroy({ force: true });
    expect(error).toMatchObject({ code: 'DESTROY_BLOCKED' });
    expect(error!.message).toContain(`table ${TABLE} (orders-dev-storage Table) has deletion protection on`);
    expect(error!.message).toContain(`fix: \`aws dynamodb update-table --table-name ${TABLE} --no-deletion-protection-enabled\``);
    expect(error!.message).toContain('Nothing was changed.');
    expect(io.asked).toHaveLength(0);
    nothingDeleted();
    expect(world.buckets.get(BUCKET)).toEqual(['a@1', 'b@1']);
  });

  it('--allow-protected turns the deletion protection off right before the stack is deleted, after the typed name (--force does not skip it)', async () => {
    const world = fakeAws([storage]);
    world.buckets.set(BUCKET, ['a@1']);
    world.tables.set(TABLE, { items: 42, deletionProtection: true });
    const forced = await destroy({ allowProtected: true, force: true });
    expect(forced.io.codes()).toContain('DESTROY_FORCE_IGNORED');
    expect(forced.io.asked.map((q) => q.code)).toEqual(['DESTROY_CONFIRM']);
    expect(forced.error).toBeUndefined();
    expect(world.calls).toEqual([
      `UpdateTable ${TABLE} DeletionProtectionEnabled=false`,
      `DeleteObjects ${BUCKET} 1`,
      'DeleteStack orders-dev-storage',
    ]);
  });

  it('a bucket with object lock, and one whose policy denies deletes: both named, with their fixes', async () => {
    const world = fakeAws([
      storage,
      { name: 'orders-dev-integrations', resources: [{ logicalId: 'Landing', type: 'AWS::S3::Bucket', physicalId: 'orders-dev-landing' }] },
    ]);
    world.buckets.set(BUCKET, ['a@1']);
    world.buckets.set('orders-dev-landing', ['x@1']);
    world.objectLock.add(BUCKET);
    world.policies.set(
      'orders-dev-landing',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'KeepForever', Effect: 'Deny', Principal: '*', Action: 's3:Delete*', Resource: 'arn:aws:s3:::orders-dev-landing/*' }] }),
    );
    const { error } = await destroy({ force: true });
    expect(error).toMatchObject({ code: 'DESTROY_BLOCKED' });
    expect(error!.message).toContain('2 thing(s) would stop the destroy half-way');
    expect(error!.message).toContain(`bucket ${BUCKET} (orders-dev-storage DataBucket) has object lock on`);
    expect(error!.message).toContain(`\`aws s3api get-object-lock-configuration --bucket ${BUCKET}\``);
    expect(error!.message).toContain('bucket orders-dev-landing (orders-dev-integrations Landing): its policy (statement "KeepForever") denies deleting objects to everyone');
    expect(error!.message).toContain('`aws s3api delete-bucket-policy --bucket orders-dev-landing`');
    nothingDeleted();
  });

  it('a stack outside the stage importing an export, or reading its SSM values: named, with the stack to change', async () => {
    const world = fakeAws([storage]);
    world.exports.set('orders-dev-bucket', 'orders-dev-storage');
    world.imports.set('orders-dev-bucket', ['reports-prod']);
    world.outsiders.set('analytics', ['/spec3/orders/dev/storage/table-name']);
    world.outsiders.set('unrelated', ['/spec3/orders/prod/storage/table-name']);
    const { error } = await destroy({ force: true });
    expect(error).toMatchObject({ code: 'DESTROY_BLOCKED' });
    expect(error!.message).toContain('stack reports-prod imports orders-dev-bucket, an export of orders-dev-storage');
    expect(error!.message).toContain('stack analytics, outside the stage, reads its values through SSM parameters (/spec3/orders/dev/storage/table-name)');
    expect(error!.message).not.toContain('unrelated');
    nothingDeleted();
  });

  it('ListImports that fails (an emulator without it) is said as not checked, never as "not imported"', async () => {
    const world = fakeAws([storage]);
    world.exports.set('orders-dev-bucket', 'orders-dev-storage');
    cfnMock.on((await import('@aws-sdk/client-cloudformation')).ListImportsCommand).rejects(
      Object.assign(new Error('XML parse error: mismatched tag'), { name: 'Error', $metadata: { httpStatusCode: 500 } }),
    );
    const { error, plan } = await destroy({ force: true });
    expect(error).toBeUndefined();
    expect(plan!.unchecked).toEqual([
      'whether another stack imports orders-dev-bucket (export of orders-dev-storage): ListImports failed, the endpoint answered with something that is not an AWS response (HTTP 500); the call is probably not implemented there',
    ]);
    expect(renderDestroyPlan(plan!, new Chalk({ level: 0 }))).toContain('Not checked:');
  });
});

describe('destroy preflight: what the confirmation lists', () => {
  it('tables with their item count, buckets with their version count, and what is retained', async () => {
    const world = fakeAws([storage]);
    world.buckets.set(BUCKET, ['a@1', 'a@2', 'b@1!']);
    world.buckets.set('orders-dev-kept', ['k@1']);
    world.tables.set(TABLE, { items: 2025, deletionProtection: false });
    const { plan } = await destroy({ force: true });
    const lines = renderDestroyPlan(plan!, new Chalk({ level: 0 }));
    expect(lines).toEqual(
      expect.arrayContaining([
        'Tables deleted with every item:',
        `  ${TABLE}  about 2025 item(s)  (orders-dev-storage Table)`,
        'Buckets emptied (every object version) and deleted:',
        `  ${BUCKET}  3 object version(s) and delete marker(s)  (orders-dev-storage DataBucket)`,
        'Retained (left in the account):',
      ]),
    );
    expect(lines.join('\n')).not.toContain('Retained: nothing');
  });

  it('a template that cannot be read: the retained list is unknown, never "nothing"', async () => {
    fakeAws([{ name: 'orders-dev-compute' }]);
    // A YAML template (deployed by another tool): spec3 reads JSON templates only.
    cfnMock.on(GetTemplateCommand).resolves({ TemplateBody: 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    DeletionPolicy: Retain\n' });
    const { plan } = await destroy({ force: true });
    expect(plan!.retainedUnknown).toEqual(['orders-dev-compute']);
    const text = renderDestroyPlan(plan!, new Chalk({ level: 0 })).join('\n');
    expect(text).toContain('Retained: unknown for orders-dev-compute (the deployed template could not be read).');
    expect(text).not.toContain('Retained: nothing');
  });
});

describe('deletesDenied', () => {
  it('counts an unconditional deny of deletes to everyone, not the TLS-only deny or an allow', () => {
    const policy = (statement: object) => JSON.stringify({ Statement: [statement] });
    expect(deletesDenied(policy({ Effect: 'Deny', Principal: { AWS: '*' }, Action: ['s3:GetObject', 's3:DeleteObjectVersion'] }))).toBe('statement 1');
    expect(deletesDenied(policy({ Effect: 'Deny', Principal: '*', Action: 's3:*' }))).toBe('statement 1');
    expect(deletesDenied(policy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }))).toBeUndefined();
    expect(deletesDenied(policy({ Effect: 'Allow', Principal: '*', Action: 's3:DeleteObject' }))).toBeUndefined();
    expect(deletesDenied(policy({ Effect: 'Deny', Principal: '*', Action: 's3:PutObject' }))).toBeUndefined();
  });
});
