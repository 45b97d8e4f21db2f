import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEnv, useLocalAws } from '../../helpers/local-aws.js';
import { sh, spec3 } from '../../e2e/helpers.js';
import { awsClient, liveStacks } from './project.js';

const EXAMPLE = path.join(import.meta.dirname, '../../../examples/extended');
const KINDS = ['security', 'storage', 'messaging', 'compute', 'api', 'monitoring', 'integrations'];

type Synth = { outDir: string; phases: { stacks: { name: string; template: string }[] }[] };
type Deploy = { phases: { stacks: { name: string; status: string }[] }[] };
type Diff = { stacks: { name: string; status: string; resources: { logicalId: string; type: string; change: string }[]; text: string }[] };

/**
 * examples/extended through the built binary on the local AWS: its spec3.extend.ts adds an audit
 * table (published to later phases), a Step Functions workflow, a Cognito authorizer on the REST
 * API and a DynamoDB stream trigger. Every stage synthesizes and lints clean; dev deploys, redeploys
 * as a no-op, shows exactly an extension change in `diff`, deploys it, is in sync, and is destroyed.
 */
describe('the extended example (code extensions)', () => {
  const local = useLocalAws({ resetBeforeEach: false });
  let parent = '';
  let dir = '';
  let env: Record<string, string> = {};
  // The spec3 local AWS (--local): only there does a deploy name the types it stands in for.
  const run = (...args: string[]) => spec3(args[0] === 'synth' ? args : [...args, '--local'], dir, env);

  beforeAll(async () => {
    await local.reset();
    parent = await mkdtemp(path.join(os.tmpdir(), 'spec3-extended-'));
    dir = path.join(parent, 'extended');
    await cp(EXAMPLE, dir, { recursive: true });
    env = localEnv();
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('synthesizes dev, staging and prod with the extension, and cfn-lint finds no error', async () => {
    const templates: string[] = [];
    for (const stage of ['dev', 'staging', 'prod']) {
      const r = await run('synth', stage, '--json');
      expect(r.exitCode, r.all).toBe(0);
      const synth = JSON.parse(r.stdout) as Synth;
      const files = synth.phases.flatMap((p) => p.stacks.map((s) => path.join(synth.outDir, s.template)));
      const storage = JSON.parse(await readFile(files.find((f) => f.endsWith(`orders-${stage}-storage.template.json`))!, 'utf8')) as { Resources: Record<string, { Type: string; Properties: { TableName?: string } }> };
      expect(Object.values(storage.Resources).filter((r) => r.Type === 'AWS::DynamoDB::Table').map((r) => r.Properties.TableName).sort()).toEqual([`orders-${stage}-audit`, `orders-${stage}-table`]);
      templates.push(...files);
    }
    const lint = await sh('cfn-lint', ['--format', 'parseable', ...templates], dir);
    expect(lint.all.split('\n').filter((line) => /:E\d{4}:/.test(line)), lint.all).toEqual([]);
    expect(lint.exitCode & 3, lint.all).toBe(0);
  }, 300_000);

  it('deploys dev with the extension resources wired across stacks', async () => {
    expect((await run('bootstrap', 'dev')).exitCode).toBe(0);
    const r = await run('deploy', 'dev', '--yes');
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stderr).toMatch(/The local AWS stands in for [^\n]*AWS::Cognito::UserPool, AWS::ApiGateway::Authorizer/);
    const status = JSON.parse((await run('status', 'dev', '--json')).stdout) as { phases: { stacks: { name: string; status: string }[] }[] };
    const stacks = status.phases.flatMap((p) => p.stacks);
    expect(stacks.map((s) => s.name.replace('orders-dev-', '')).sort()).toEqual([...KINDS].sort());
    expect(stacks.every((s) => s.status === 'CREATE_COMPLETE'), JSON.stringify(stacks)).toBe(true);

    // The audit table's stream ARN travelled through SSM to the integrations stack's trigger.
    const ssm = awsClient(SSMClient, local.endpoint());
    const streamArn = (await ssm.send(new GetParameterCommand({ Name: '/spec3/orders/dev/storage/ext-audit-table-stream-arn' }))).Parameter?.Value;
    expect(streamArn).toMatch(/^arn:aws:dynamodb:us-east-1:123456789012:table\/orders-dev-audit\/stream\//);
    const mappings = await awsClient(LambdaClient, local.endpoint()).send(new ListEventSourceMappingsCommand({ EventSourceArn: streamArn }));
    // The mapping names the live alias; moto answers with the version the alias points at.
    expect(mappings.EventSourceMappings?.map((m) => m.FunctionArn)).toEqual([expect.stringMatching(/:function:orders-dev-audit-writer:(live|\d+)$/)]);
    const compute = await awsClient(CloudFormationClient, local.endpoint()).send(new ListStackResourcesCommand({ StackName: 'orders-dev-compute' }));
    expect(compute.StackResourceSummaries?.filter((s) => s.ResourceType === 'AWS::StepFunctions::StateMachine').map((s) => s.ResourceStatus)).toEqual(['CREATE_COMPLETE']);
  }, 300_000);

  it('redeploys without changes as a no-op', async () => {
    const r = await run('deploy', 'dev', '--json', '--yes');
    expect(r.exitCode, r.all).toBe(0);
    const stacks = (JSON.parse(r.stdout) as Deploy).phases.flatMap((p) => p.stacks);
    expect(stacks.filter((s) => s.status !== 'skipped'), JSON.stringify(stacks)).toEqual([]);
  });

  it('shows exactly an extension change in diff, then deploys it', async () => {
    const file = path.join(dir, 'spec3.extend.ts');
    const source = await readFile(file, 'utf8');
    expect(source).toContain('batchSize: 100,');
    await writeFile(file, source.replace('batchSize: 100,', 'batchSize: 25,'));

    const r = await run('diff', 'dev', '--json');
    expect(r.exitCode, r.all).toBe(2);
    const diff = JSON.parse(r.stdout) as Diff;
    expect(diff.stacks.filter((s) => s.status !== 'unchanged').map((s) => s.name)).toEqual(['orders-dev-integrations']);
    const changed = diff.stacks.find((s) => s.name === 'orders-dev-integrations')!;
    expect(changed.resources.map((x) => `${x.change} ${x.type} ${x.logicalId}`)).toEqual([expect.stringMatching(/^modify AWS::Lambda::EventSourceMapping AuditStream/)]);
    expect(changed.text).toMatch(/BatchSize[\s\S]*100[\s\S]*25/);

    const deploy = await run('deploy', 'dev', '--json', '--yes');
    expect(deploy.exitCode, deploy.all).toBe(0);
    const stacks = (JSON.parse(deploy.stdout) as Deploy).phases.flatMap((p) => p.stacks);
    expect(stacks.filter((s) => s.status !== 'skipped').map((s) => s.name)).toEqual(['orders-dev-integrations']);
    expect((await run('diff', 'dev')).exitCode).toBe(0);
  }, 300_000);

  it('finds the deployed stage in sync', async () => {
    const r = await run('drift', 'dev', '--json');
    expect(r.exitCode, r.all).toBe(0);
    const report = JSON.parse(r.stdout) as { drifted: number; failed: number; stacks: unknown[] };
    expect(report).toMatchObject({ drifted: 0, failed: 0 });
    expect(report.stacks).toHaveLength(KINDS.length);
  });

  it('destroys dev and leaves no stack behind', async () => {
    const r = await run('destroy', 'dev', '--force');
    expect(r.exitCode, r.all).toBe(0);
    expect(await liveStacks(local.endpoint(), 'orders-dev-')).toEqual([]);
  });
});
