import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEnv, useLocalAws } from '../../helpers/local-aws.js';
import { sh, spec3 } from '../../e2e/helpers.js';
import { awsClient, liveStacks } from './project.js';

const EXAMPLE = path.join(import.meta.dirname, '../../../examples/full');
const STAGES = ['dev', 'staging', 'prod'] as const;

/** Every stack kind the full example has in each stage: prod and staging add the WAF's edge stack. */
const KINDS = ['network', 'security', 'pipeline', 'storage', 'data', 'messaging', 'compute', 'api', 'service', 'monitoring', 'integrations'];
const kindsOf = (stage: string) => [...KINDS, ...(stage === 'dev' ? [] : ['edge'])].sort();

type Synth = { outDir: string; phases: { phase: string; stacks: { name: string; template: string }[] }[] };
type Deploy = { phases: { phase: string; stacks: { name: string; status: string }[] }[] };

/**
 * `examples/full` turns every optional part on. Through the built binary: every stage synthesizes
 * and passes cfn-lint; staging (WAF and canary on, unprotected) deploys on the local AWS with its
 * wiring intact, redeploys as a no-op and is destroyed with nothing left.
 */
describe('the full-feature example', () => {
  const local = useLocalAws({ resetBeforeEach: false });
  let parent = '';
  let dir = '';
  let env: Record<string, string> = {};
  // The commands that reach AWS target the spec3 local AWS (--local): its stand-ins notice is part of what is shown.
  const run = (...args: string[]) => spec3(args[0] === 'synth' ? args : [...args, '--local'], dir, env);
  const ssmValue = async (name: string) =>
    (await awsClient(SSMClient, local.endpoint()).send(new GetParameterCommand({ Name: name }))).Parameter?.Value;

  beforeAll(async () => {
    await local.reset();
    parent = await mkdtemp(path.join(os.tmpdir(), 'spec3-full-'));
    dir = path.join(parent, 'full');
    await cp(EXAMPLE, dir, { recursive: true });
    env = localEnv();
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('synthesizes every stage with every optional stack, and cfn-lint finds no error', async () => {
    const templates: string[] = [];
    for (const stage of STAGES) {
      const r = await run('synth', stage, '--json');
      expect(r.exitCode, r.all).toBe(0);
      const synth = JSON.parse(r.stdout) as Synth;
      const names = synth.phases.flatMap((p) => p.stacks.map((s) => s.name));
      expect(names.sort()).toEqual(kindsOf(stage).map((k) => `orders-${stage}-${k}`).sort());
      templates.push(...synth.phases.flatMap((p) => p.stacks.map((s) => path.join(synth.outDir, s.template))));
    }
    expect(templates).toHaveLength(11 + 12 + 12);
    const lint = await sh('cfn-lint', ['--format', 'parseable', ...templates], dir);
    expect(lint.all.split('\n').filter((line) => /:E\d{4}:/.test(line)), lint.all).toEqual([]);
    expect(lint.exitCode & 3, lint.all).toBe(0);
  });

  it('deploys staging on the local AWS, naming the resource types it only stands in for', async () => {
    expect((await run('bootstrap', 'staging')).exitCode).toBe(0);
    // Without --json, so the progress (and the stand-in notice) is shown on stderr.
    const r = await run('deploy', 'staging', '--yes');
    expect(r.exitCode, r.all).toBe(0);
    const notice = /The local AWS stands in for (.*): their wiring deploys/.exec(r.stderr);
    expect(notice, r.stderr).not.toBeNull();
    expect(notice![1]!.split(', ')).toEqual(expect.arrayContaining(['AWS::WAFv2::WebACL', 'AWS::SecretsManager::Secret', 'AWS::CodeDeploy::DeploymentGroup', 'AWS::Neptune::DBCluster']));
    const status = await run('status', 'staging', '--json');
    const stacks = (JSON.parse(status.stdout) as { phases: { stacks: { name: string; status: string }[] }[] }).phases.flatMap((p) => p.stacks);
    expect(stacks.map((s) => s.name.replace('orders-staging-', '')).sort()).toEqual(kindsOf('staging'));
    expect(stacks.every((s) => s.status === 'CREATE_COMPLETE'), JSON.stringify(stacks)).toBe(true);
  });

  it('leaves every optional part wired: values published by one stack, read by the next', async () => {
    const p = (stack: string, key: string) => ssmValue(`/spec3/orders/staging/${stack}/${key}`);
    expect(await p('edge', 'web-acl-arn')).toMatch(/^arn:aws:wafv2:us-east-1:123456789012:regional\/webacl\/orders-staging\//);
    expect(await p('pipeline', 'deploy-role-arn')).toBe('arn:aws:iam::123456789012:role/orders-staging-deploy');
    expect(await p('data', 'search-collection-endpoint')).toMatch(/^https:\/\/\S+\.us-east-1\.aoss\.amazonaws\.com$/);
    expect(await p('data', 'graph-endpoint')).toMatch(/\.cluster-\S+\.us-east-1\.neptune\.amazonaws\.com$/);
    expect(await p('service', 'alb-full-name')).toMatch(/^app\//);
    expect(await p('service', 'url')).toMatch(/^http:\/\/\S+/);
    // The API and the triggers reach each function through its live alias.
    const apiArn = await p('compute', 'fn-api-arn');
    expect(apiArn).toMatch(/:function:orders-staging-api:live$/);
    const alias = await awsClient(LambdaClient, local.endpoint()).send(new GetAliasCommand({ FunctionName: 'orders-staging-api', Name: 'live' }));
    expect(alias.AliasArn).toBe(apiArn);
  });

  it('redeploys without changes as a no-op', async () => {
    const r = await run('deploy', 'staging', '--json', '--yes');
    expect(r.exitCode, r.all).toBe(0);
    const stacks = (JSON.parse(r.stdout) as Deploy).phases.flatMap((p) => p.stacks);
    expect(stacks.filter((s) => s.status !== 'skipped'), JSON.stringify(stacks)).toEqual([]);
  });

  it('destroys staging and leaves no stack behind', async () => {
    const r = await run('destroy', 'staging', '--force');
    expect(r.exitCode, r.all).toBe(0);
    expect(await liveStacks(local.endpoint(), 'orders-staging-')).toEqual([]);
  });
});
