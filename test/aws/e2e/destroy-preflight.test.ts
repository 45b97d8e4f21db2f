import { DeleteStackCommand, DescribeStacksCommand, CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DeleteTableCommand, DescribeTableCommand, DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectVersionsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsEnv, useLocalAws } from '../../helpers/local-aws.js';
import { useTempDirs } from '../../helpers/tmp.js';
import { CTRL_C, spec3, spec3InTerminal } from '../../e2e/helpers.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { awsClient, initProject, liveStacks, readConfig } from './project.js';

/**
 * destroy's checks before it deletes, through the built binary against the local AWS: a table
 * whose deletion protection was turned on out of band stops the destroy before any object is
 * deleted, and a stack left DELETE_FAILED by a resource since removed by hand is finished.
 */
describe('destroy preflight on the local AWS', () => {
  const local = useLocalAws();
  const tempDir = useTempDirs();
  let dir = '';
  let project = '';
  const run = (...args: string[]) => spec3(args, dir, awsEnv(local.endpoint()));
  const client = <T>(C: new (config: object) => T): T => awsClient(C, local.endpoint());
  const published = async (name: string) =>
    (await client(SSMClient).send(new GetParameterCommand({ Name: `/spec3/${project}/dev/${name}` }))).Parameter!.Value!;
  const stackStates = async () =>
    Object.fromEntries((await liveStacks(local.endpoint(), `${project}-dev-`)).map((s) => [s.StackName!.replace(`${project}-dev-`, ''), s.StackStatus]));

  beforeEach(async () => {
    dir = await initProject(await tempDir());
    project = (await readConfig(dir)).project;
    expect((await run('bootstrap', 'dev')).exitCode).toBe(0);
    const deployed = await run('deploy', 'dev', '--yes', '--phase', 'foundation');
    expect(deployed.exitCode, deployed.all).toBe(0);
  });

  it('table deletion protection on: refused before anything is deleted, naming the table and the fix; the bucket intact', async () => {
    const bucket = await published('storage/bucket-name');
    const table = await published('storage/table-name');
    for (let i = 0; i < 25; i++) await client(S3Client).send(new PutObjectCommand({ Bucket: bucket, Key: `logs/${i}.txt`, Body: 'x' }));
    await client(DynamoDBClient).send(new UpdateTableCommand({ TableName: table, DeletionProtectionEnabled: true }));
    const before = await stackStates();

    const refused = await run('destroy', 'dev', '--force');
    expect(refused.exitCode, refused.all).toBe(1);
    expect(refused.stderr).toContain(`table ${table} (${project}-dev-storage `);
    expect(refused.stderr).toContain('has deletion protection on');
    expect(refused.stderr).toContain(`aws dynamodb update-table --table-name ${table} --no-deletion-protection-enabled`);
    expect(refused.stderr).toContain('Nothing was changed.');
    // The plan shown first lists the data at stake.
    expect(refused.stderr).toContain('Tables deleted with every item:');
    expect(refused.stderr).toMatch(new RegExp(`${bucket} {2}25 object version\\(s\\) and delete marker\\(s\\)`));

    const listed = await client(S3Client).send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(listed.Versions).toHaveLength(25);
    expect(await stackStates()).toEqual(before);
    expect((await client(DynamoDBClient).send(new DescribeTableCommand({ TableName: table }))).Table?.TableStatus).toBe('ACTIVE');
  });

  let proxy: FaultProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it('Ctrl-C in a terminal while a bucket is being emptied: exit 130, the message says how many versions were deleted, and the bucket and its stack are still there', async () => {
    const bucket = await published('storage/bucket-name');
    const s3 = client(S3Client);
    // More than one page of 1,000, so the emptying is interrupted between pages.
    for (let i = 0; i < 1100; i += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, j) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: `logs/${i + j}.txt`, Body: 'x' }))));
    }
    // Slow object deletes (S3's DeleteObjects is a REST POST) keep the emptying going; Ctrl-C comes once the first page of 1,000 is
    // reported done (Ctrl-C cancels the call in flight, so a page under way is not finished).
    proxy = await startFaultProxy({ upstream: local.endpoint(), rates: { slow: 1, only: ['REST POST'] }, slowMs: 1500 });
    const r = await spec3InTerminal([{ when: `bucket ${bucket}: 1000 object version(s) and delete marker(s) deleted so far`, type: CTRL_C }], ['destroy', 'dev', '--force', '--verbose'], dir, awsEnv(proxy.endpoint));
    expect(r.exitCode, r.all).toBe(130);
    const text = r.all.replace(/\s+/g, ' ');
    const stopped = new RegExp(`emptying bucket ${bucket} stopped after (\\d+) object version\\(s\\) and delete marker\\(s\\) were deleted; the rest, the bucket and its stack are still there`).exec(text);
    expect(stopped, r.all).not.toBeNull();
    const deleted = Number(stopped![1]);
    expect(deleted).toBeGreaterThan(0);
    expect(deleted).toBeLessThan(1100);
    const left = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(left.Versions).toHaveLength(1100 - deleted);
    expect((await stackStates()).storage).toBe('CREATE_COMPLETE');
  });

  it('a DELETE_FAILED stack whose failed table is gone: destroy finishes it, retaining exactly that table, and says so', async () => {
    const table = await published('storage/table-name');
    const storage = `${project}-dev-storage`;
    await client(DynamoDBClient).send(new UpdateTableCommand({ TableName: table, DeletionProtectionEnabled: true }));
    // Deleted outside spec3: the table's protection makes the stack DELETE_FAILED.
    await client(CloudFormationClient).send(new DeleteStackCommand({ StackName: storage }));
    const failed = await client(CloudFormationClient).send(new DescribeStacksCommand({ StackName: storage }));
    expect(failed.Stacks?.[0]?.StackStatus).toBe('DELETE_FAILED');
    // Then the table is removed by hand.
    await client(DynamoDBClient).send(new UpdateTableCommand({ TableName: table, DeletionProtectionEnabled: false }));
    await client(DynamoDBClient).send(new DeleteTableCommand({ TableName: table }));

    const destroyed = await run('destroy', 'dev', '--force');
    expect(destroyed.exitCode, destroyed.all).toBe(0);
    expect(destroyed.stderr).toMatch(new RegExp(`${storage} failed to delete before; already gone, so retained when it is deleted again: Table\\w*`));
    expect(destroyed.stdout).toMatch(/finished its failed delete; retained Table\w*, which were already gone/);
    expect(destroyed.all).not.toContain('bug in spec3');
    expect(await stackStates()).toEqual({});
  });
});
