import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  ExecuteChangeSetCommand,
  type Capability,
} from '@aws-sdk/client-cloudformation';
import { DescribeInternetGatewaysCommand, DescribeSubnetsCommand, DescribeVpcEndpointsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeParametersCommand, GetParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as synth } from '../../../src/commands/synth/index.js';
import { TestIo } from '../../helpers/io.js';
import { useLocalAws } from '../../helpers/local-aws.js';
import { writeProject } from '../../helpers/project.js';
import { Aws } from './moto-pair.js';

/**
 * The templates spec3 really deploys, on the patched local AWS, the way a deploy sends them: the
 * CDK bootstrap stack, then the eight stacks of a sample project in phase order, each created and
 * then updated through change sets, then everything deleted in reverse order.
 */
const local = useLocalAws({ resetBeforeEach: false });
const CAPABILITIES: Capability[] = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'];
/** CloudFormation's limit for TemplateBody; a bigger template goes through S3. */
const MAX_BODY = 51_200;
const BOOTSTRAP_TEMPLATE = createRequire(import.meta.url).resolve('aws-cdk/lib/api/bootstrap/bootstrap-template.yaml');

let aws: Aws;

/** Creates or updates a stack through a change set; answers the change set's status reason when it has nothing to do. */
async function deploy(name: string, type: 'CREATE' | 'UPDATE', template: { body: string } | { url: string }): Promise<string | undefined> {
  const source = 'url' in template ? { TemplateURL: template.url } : { TemplateBody: template.body };
  const { Id } = await aws.cfn.send(
    new CreateChangeSetCommand({ StackName: name, ChangeSetName: 'spec3-deploy', ChangeSetType: type, Capabilities: CAPABILITIES, ...source }),
  );
  const changeSet = await aws.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
  if (changeSet.Status === 'FAILED') {
    await aws.cfn.send(new DeleteChangeSetCommand({ ChangeSetName: Id }));
    return changeSet.StatusReason;
  }
  await aws.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
  const stack = await aws.stack(name);
  expect({ name, status: stack.StackStatus, reason: stack.StackStatusReason }).toEqual({ name, status: `${type}_COMPLETE`, reason: undefined });
  return undefined;
}

describe('real templates on the local AWS', () => {
  let outDir = '';
  let stacks: string[] = [];
  let bucket = '';
  let dir = '';

  beforeAll(async () => {
    await local.reset();
    aws = new Aws(local.endpoint());
    dir = await mkdtemp(path.join(os.tmpdir(), 'spec3-templates-'));
    await writeProject(dir);
    const result = await synth({ stage: 'dev' }, { cwd: dir, io: new TestIo() });
    outDir = result.outDir;
    stacks = result.phases.flatMap((p) => p.stacks.map((s) => s.name));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The body, or the S3 URL of a template too big for a body (and of compute, so the S3 path runs). */
  async function templateOf(name: string): Promise<{ body: string } | { url: string }> {
    const body = await readFile(path.join(outDir, `${name}.template.json`), 'utf8');
    if (body.length <= MAX_BODY && !name.endsWith('-compute')) return { body };
    const key = `templates/${name}.json`;
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    return { url: `https://s3.us-east-1.amazonaws.com/${bucket}/${key}` };
  }

  it('the CDK bootstrap stack deploys with its outputs and its version parameter', async () => {
    const body = await readFile(BOOTSTRAP_TEMPLATE, 'utf8');
    await deploy('CDKToolkit', 'CREATE', { body });
    const outputs = await aws.outputs('CDKToolkit');
    expect(outputs).toMatchObject({
      BucketName: 'cdk-hnb659fds-assets-123456789012-us-east-1',
      BootstrapVersion: expect.stringMatching(/^\d+$/),
      ImageRepositoryName: 'cdk-hnb659fds-container-assets-123456789012-us-east-1',
    });
    const version = await aws.ssm.send(new GetParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version' }));
    expect(version.Parameter?.Value).toBe(outputs.BootstrapVersion);
    expect(await deploy('CDKToolkit', 'UPDATE', { body })).toMatch(/didn't contain changes/);
    bucket = outputs.BucketName!;
  });

  it('the eight stacks deploy in phase order, reading what earlier stacks published', async () => {
    expect(stacks).toHaveLength(8);
    for (const name of stacks) await deploy(name, 'CREATE', await templateOf(name));
    expect((await aws.stack('orders-dev-compute')).Parameters).toContainEqual({
      ParameterKey: 'BootstrapVersion',
      ParameterValue: '/cdk-bootstrap/hnb659fds/version',
      ResolvedValue: expect.stringMatching(/^\d+$/),
    });
    const api = await aws.outputs('orders-dev-api');
    expect(Object.values(api)).toContainEqual(expect.stringMatching(/^https:\/\/\w+\.execute-api\.us-east-1\.amazonaws\.com\/dev\/$/));
  });

  it('an unchanged stack has nothing to update; a changed one updates', async () => {
    for (const name of stacks) expect(await deploy(name, 'UPDATE', await templateOf(name)), name).toMatch(/didn't contain changes/);
    const monitoring = JSON.parse(await readFile(path.join(outDir, 'orders-dev-monitoring.template.json'), 'utf8'));
    monitoring.Outputs = { ...monitoring.Outputs, Probe: { Value: 'updated' } };
    await deploy('orders-dev-monitoring', 'UPDATE', { body: JSON.stringify(monitoring) });
    expect(await aws.outputs('orders-dev-monitoring')).toMatchObject({ Probe: 'updated' });
  });

  it('deleting in reverse order leaves nothing behind, VPC included', async () => {
    for (const name of [...stacks].reverse()) {
      await aws.cfn.send(new DeleteStackCommand({ StackName: name }));
      expect(await aws.liveStacks(), name).not.toContainEqual(expect.objectContaining({ name }));
    }
    expect(await aws.liveStacks()).toEqual([{ name: 'CDKToolkit', status: 'CREATE_COMPLETE' }]);
    const vpcs = (await aws.ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? [];
    const defaultVpc = vpcs.find((v) => v.IsDefault)?.VpcId;
    expect(vpcs.filter((v) => !v.IsDefault)).toEqual([]);
    expect(((await aws.ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).filter((s) => s.VpcId !== defaultVpc)).toEqual([]);
    expect((await aws.ec2.send(new DescribeInternetGatewaysCommand({}))).InternetGateways).toEqual([]);
    expect(((await aws.ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints ?? []).filter((e) => String(e.State).toLowerCase() !== 'deleted')).toEqual([]);
    expect((await aws.apigateway.send(new GetRestApisCommand({}))).items).toEqual([]);
    const parameters = (await aws.ssm.send(new DescribeParametersCommand({}))).Parameters ?? [];
    expect(parameters.map((p) => p.Name)).toEqual(['/cdk-bootstrap/hnb659fds/version']);
  });
});
