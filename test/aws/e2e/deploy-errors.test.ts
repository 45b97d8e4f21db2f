import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsEnv, useLocalAws } from '../../helpers/local-aws.js';
import { useTempDirs } from '../../helpers/tmp.js';
import { spec3, spec3Typing } from '../../e2e/helpers.js';
import { awsClient, editConfig, initProject, liveStacks, readConfig } from './project.js';

/**
 * How deploy and destroy fail, through the built binary against the local AWS: the exit code,
 * the message a user reads, and what is really left in the account afterwards.
 */
describe('deploy and destroy errors on the local AWS', () => {
  const local = useLocalAws();
  const tempDir = useTempDirs();
  let dir = '';
  let project = '';
  const run = (...args: string[]) => spec3(args, dir, awsEnv(local.endpoint()));
  const bootstrap = async (stage: string) => {
    const r = await run('bootstrap', stage);
    expect(r.exitCode, r.all).toBe(0);
  };
  const client = <T>(C: new (config: object) => T): T => awsClient(C, local.endpoint());
  /** A value the stage's stacks publish in SSM, e.g. `storage/bucket-name`. */
  const published = async (stage: string, name: string) =>
    (await client(SSMClient).send(new GetParameterCommand({ Name: `/spec3/${project}/${stage}/${name}` }))).Parameter?.Value;
  const stackStates = async (stage: string) =>
    Object.fromEntries((await liveStacks(local.endpoint(), `${project}-${stage}-`)).map((s) => [s.StackName!.replace(`${project}-${stage}-`, ''), s.StackStatus]));

  beforeEach(async () => {
    dir = await initProject(await tempDir());
    project = (await readConfig(dir)).project;
  });

  it('refuses a stage of another account before changing anything, in deploy and in bootstrap', async () => {
    await editConfig(dir, (c) => {
      c.stages.dev!.account = '111111111111';
    });
    // The account is not bootstrapped either: the wrong account must still be what is reported.
    const deploy = await run('deploy', 'dev', '--yes');
    expect(deploy.exitCode, deploy.all).toBe(1);
    expect(deploy.stderr).toContain('Stage dev belongs to account 111111111111, but the credentials are for account 123456789012');
    expect(deploy.stderr).toContain('Nothing was changed.');
    expect(await liveStacks(local.endpoint())).toEqual([]);

    const refused = await run('bootstrap', 'dev');
    expect(refused.exitCode, refused.all).toBe(1);
    expect(refused.stderr).toContain('Stage dev belongs to account 111111111111, but the credentials are for account 123456789012');
    expect(refused.stderr).toContain('Nothing was changed.');
    expect(await liveStacks(local.endpoint(), 'CDKToolkit')).toEqual([]);
  });

  it('a stack that fails: the reason from its events, the others intact; the next deploy replaces it', async () => {
    await bootstrap('dev');
    // Created outside CloudFormation, so the messaging stack cannot create its own parameter of that name.
    const taken = `/spec3/${project}/dev/messaging/work-queue-url`;
    await client(SSMClient).send(new PutParameterCommand({ Name: taken, Type: 'String', Value: 'taken' }));

    const failed = await run('deploy', 'dev', '--yes', '--phase', 'foundation');
    expect(failed.exitCode, failed.all).toBe(1);
    expect(failed.stderr).toContain(`${project}-dev-messaging failed: ROLLBACK_COMPLETE`);
    expect(failed.stderr).toMatch(/Outworkqueueurl\w* \(AWS::SSM::Parameter\): The parameter already exists/);
    expect(failed.stderr).toContain('spec3 replaces the rolled-back stack');
    expect(failed.stderr).toContain('Stacks that were already deployed are intact.');
    expect(await stackStates('dev')).toEqual({
      network: 'CREATE_COMPLETE',
      security: 'CREATE_COMPLETE',
      storage: 'CREATE_COMPLETE',
      messaging: 'ROLLBACK_COMPLETE',
    });
    const vpcs = await client(EC2Client).send(new DescribeVpcsCommand({ VpcIds: [(await published('dev', 'network/vpc-id'))!] }));
    expect(vpcs.Vpcs).toHaveLength(1);
    const key = await client(KMSClient).send(new DescribeKeyCommand({ KeyId: await published('dev', 'security/key-arn') }));
    expect(key.KeyMetadata?.Enabled).toBe(true);
    await client(S3Client).send(new HeadBucketCommand({ Bucket: await published('dev', 'storage/bucket-name') }));
    const table = await client(DynamoDBClient).send(new DescribeTableCommand({ TableName: await published('dev', 'storage/table-name') }));
    expect(table.Table?.TableStatus).toBe('ACTIVE');
    // The rollback removed what the stack created and left the parameter it did not create.
    await expect(client(SQSClient).send(new GetQueueUrlCommand({ QueueName: `${project}-dev-work` }))).rejects.toThrow();
    expect(await published('dev', 'messaging/work-queue-url')).toBe('taken');

    await client(SSMClient).send(new DeleteParameterCommand({ Name: taken }));
    const retried = await run('deploy', 'dev', '--yes', '--phase', 'foundation', '--json');
    expect(retried.exitCode, retried.all).toBe(0);
    const [foundation] = (JSON.parse(retried.stdout) as { phases: { stacks: { name: string; status: string }[] }[] }).phases;
    expect(Object.fromEntries(foundation!.stacks.map((s) => [s.name.replace(`${project}-dev-`, ''), s.status]))).toEqual({
      network: 'skipped',
      security: 'skipped',
      storage: 'skipped',
      messaging: 'created',
    });
    expect(Object.values(await stackStates('dev'))).toEqual(Array(4).fill('CREATE_COMPLETE'));
    await client(SQSClient).send(new GetQueueUrlCommand({ QueueName: `${project}-dev-work` }));
    expect(await published('dev', 'messaging/work-queue-url')).toBe(`https://sqs.us-east-1.amazonaws.com/123456789012/${project}-dev-work`);
  });

  it('a protected stage: destroy refused without --allow-protected; with it and the stage name typed, deleted', async () => {
    // prod is protected by the presets: "protected" in the config and termination protection on every stack.
    await bootstrap('prod');
    const deployed = await run('deploy', 'prod', '--yes', '--phase', 'foundation');
    expect(deployed.exitCode, deployed.all).toBe(0);
    const names = Object.keys(await stackStates('prod')).map((s) => `${project}-prod-${s}`);
    // network, security, storage, messaging, and the WAF's edge stack (prod asks for WAF).
    expect(names).toHaveLength(5);
    const protection = async () =>
      Promise.all(
        names.map(async (StackName) => (await client(CloudFormationClient).send(new DescribeStacksCommand({ StackName }))).Stacks?.[0]?.EnableTerminationProtection),
      );
    expect(await protection()).toEqual(Array(5).fill(true));

    const refused = await run('destroy', 'prod', '--force');
    expect(refused.exitCode, refused.all).toBe(1);
    expect(refused.stderr).toContain('Stage prod is protected');
    expect(refused.stderr).toContain('Nothing was changed.');
    expect(refused.stderr).toContain('spec3 destroy prod --allow-protected');
    expect(Object.values(await stackStates('prod'))).toEqual(Array(5).fill('CREATE_COMPLETE'));
    expect(await protection()).toEqual(Array(5).fill(true));

    const bucket = await published('prod', 'storage/bucket-name');
    const destroyed = await spec3Typing('prod', ['destroy', 'prod', '--allow-protected'], dir, awsEnv(local.endpoint()));
    expect(destroyed.exitCode, destroyed.all).toBe(0);
    expect(destroyed.all).toContain('Type the stage name (prod)');
    expect(await stackStates('prod')).toEqual({});
    // prod keeps its data: the retained bucket outlives its stack.
    await client(S3Client).send(new HeadBucketCommand({ Bucket: bucket }));
  });
});
