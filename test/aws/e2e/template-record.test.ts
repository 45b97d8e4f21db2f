import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, GetTemplateCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsEnv, useLocalAws } from '../../helpers/local-aws.js';
import { spec3 } from '../../e2e/helpers.js';
import { awsClient, editConfig, initProject, readConfig } from './project.js';

type Deploy = { phases: { stacks: { name: string; status: string; reason?: string }[] }[] };

/**
 * `.spec3/<stage>/templates.json` lets a redeploy skip reading the template of a stack it knows;
 * it must never hide a change made from elsewhere. Through the built binary on the local AWS
 * (whose stacks get a LastUpdatedTime on every update, as on AWS): a deploy from a second working
 * copy of the project, and an UpdateStack made by hand, are both reverted by the next deploy from
 * the first copy, read back through the Lambda API.
 */
describe('the template record against changes made elsewhere', () => {
  const local = useLocalAws({ resetBeforeEach: false });
  let parent = '';
  let copyA = '';
  let copyB = '';
  let memoryA = 0;
  const env = () => awsEnv(local.endpoint());
  const deploy = async (dir: string): Promise<Record<string, string>> => {
    const r = await spec3(['deploy', 'dev', '--yes', '--json'], dir, env());
    expect(r.exitCode, r.all).toBe(0);
    const result = JSON.parse(r.stdout) as Deploy;
    return Object.fromEntries(result.phases.flatMap((p) => p.stacks.map((s) => [s.name.replace('demo-dev-', ''), s.status])));
  };
  const liveMemory = async () =>
    (await awsClient(LambdaClient, local.endpoint()).send(new GetFunctionConfigurationCommand({ FunctionName: 'demo-dev-api' }))).MemorySize;

  beforeAll(async () => {
    await local.reset();
    parent = await mkdtemp(path.join(os.tmpdir(), 'spec3-record-'));
    copyA = await initProject(path.join(parent));
    // A second working copy of the same project, as a colleague's clone would be.
    copyB = path.join(parent, 'clone', 'demo');
    await cp(copyA, copyB, { recursive: true });
    memoryA = (await readConfig(copyA)).functions[0]!.memory ?? 256;
    expect((await spec3(['bootstrap', 'dev'], copyA, env())).exitCode).toBe(0);
  });

  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('deploys the stage from copy A, and finds it unchanged from copy B', async () => {
    expect(Object.values(await deploy(copyA)).every((s) => s === 'created')).toBe(true);
    expect(Object.values(await deploy(copyB)).every((s) => s === 'skipped')).toBe(true);
    // And from A again, now through its record.
    expect(Object.values(await deploy(copyA)).every((s) => s === 'skipped')).toBe(true);
    expect(await liveMemory()).toBe(memoryA);
  });

  it("reverts copy B's deploy when copy A deploys its unchanged config", async () => {
    await editConfig(copyB, (c) => {
      c.functions[0]!.memory = memoryA + 256;
    });
    expect((await deploy(copyB)).compute).toBe('updated');
    expect(await liveMemory()).toBe(memoryA + 256);

    const fromA = await deploy(copyA);
    expect(fromA.compute).toBe('updated');
    expect(await liveMemory()).toBe(memoryA);
    // Redeploying A again is a no-op: the record is right again.
    expect((await deploy(copyA)).compute).toBe('skipped');
  });

  it('reverts an UpdateStack made outside spec3 on the next deploy', async () => {
    const cfn = awsClient(CloudFormationClient, local.endpoint());
    const name = 'demo-dev-compute';
    const body = (await cfn.send(new GetTemplateCommand({ StackName: name }))).TemplateBody!;
    const template = JSON.parse(body) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === 'demo-dev-api')!;
    fn.Properties.MemorySize = 1024;
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
    await cfn.send(
      new UpdateStackCommand({
        StackName: name,
        TemplateBody: JSON.stringify(template),
        Parameters: (stack.Parameters ?? []).map((p) => ({ ParameterKey: p.ParameterKey, UsePreviousValue: true })),
        Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
      }),
    );
    expect(await liveMemory()).toBe(1024);

    expect((await deploy(copyA)).compute).toBe('updated');
    expect(await liveMemory()).toBe(memoryA);
  });
});
