import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CloudFormationClient, DeleteStackCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsEnv, clientConfig, localEnv, useLocalAws } from '../../helpers/local-aws.js';
import { sh, spec3 } from '../../e2e/helpers.js';
import { awsClient, editConfig, initProject, liveStacks } from './project.js';

/**
 * What a run acts on, through the built binary against the local AWS: an assembly of another
 * stage or account is refused before anything is written; there is no --region beside the
 * stage's; an endpoint is reached like AWS (the normal credential chain), and only --local means
 * the spec3 local AWS.
 */
describe('targets that match', () => {
  const local = useLocalAws({ resetBeforeEach: false });
  let parent = '';
  let dir = '';
  let env: Record<string, string> = {};
  const run = (...args: string[]) => spec3(args, dir, env);
  const lockValue = () =>
    awsClient(SSMClient, local.endpoint())
      .send(new GetParameterCommand({ Name: '/spec3/demo/dev/lock' }))
      .then(
        (r) => r.Parameter?.Value,
        (error: Error) => (error.name === 'ParameterNotFound' ? undefined : Promise.reject(error)),
      );

  beforeAll(async () => {
    await local.reset();
    parent = await mkdtemp(path.join(os.tmpdir(), 'spec3-targets-'));
    env = awsEnv(local.endpoint());
    dir = await initProject(parent);
    expect((await run('bootstrap', 'dev')).exitCode).toBe(0);
    for (const stage of ['dev', 'staging']) expect((await run('synth', stage)).exitCode).toBe(0);
    // dev's stacks synthesized for another account: the same names and tags, another environment.
    await editConfig(dir, (c) => {
      c.stages.dev!.account = '111111111111';
    });
    expect((await run('synth', 'dev', '--out', 'cdk.out/dev-other-account')).exitCode).toBe(0);
    await editConfig(dir, (c) => {
      c.stages.dev!.account = '123456789012';
    });
  });

  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it("refuses to deploy staging's assembly as dev, naming both, with nothing written", async () => {
    const r = await run('deploy', 'dev', '--assembly', 'cdk.out/staging', '--yes');
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stderr).toContain(
      `The assembly in ${path.join(dir, 'cdk.out/staging')} is for project demo, stage staging, account 123456789012, region us-east-1 (stack demo-staging-network), not for project demo, stage dev, account 123456789012, region us-east-1.`,
    );
    expect(r.stderr).toContain('Run `spec3 synth dev` and pass --assembly cdk.out/dev');
    expect(await liveStacks(local.endpoint(), 'demo-')).toEqual([]);
    expect(existsSync(path.join(dir, '.spec3', 'dev'))).toBe(false);
    expect(await lockValue()).toBeUndefined();
  });

  it('refuses an assembly of the stage synthesized for another account', async () => {
    const r = await run('deploy', 'dev', '--assembly', 'cdk.out/dev-other-account', '--yes');
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stderr).toContain('is for project demo, stage dev, account 111111111111, region us-east-1 (stack demo-dev-network), not for project demo, stage dev, account 123456789012');
    expect(await liveStacks(local.endpoint(), 'demo-')).toEqual([]);
    expect(existsSync(path.join(dir, '.spec3', 'dev'))).toBe(false);
  });

  it("refuses staging's assembly for diff and drift of dev too", async () => {
    for (const verb of ['diff', 'drift']) {
      const r = await run(verb, 'dev', '--assembly', 'cdk.out/staging');
      expect(r.exitCode, `${verb}: ${r.all}`).toBe(1);
      expect(r.stderr, verb).toContain('is for project demo, stage staging, account 123456789012, region us-east-1 (stack demo-staging-network), not for project demo, stage dev');
    }
  });

  it("deploys dev's own assembly", async () => {
    const r = await run('deploy', 'dev', '--assembly', 'cdk.out/dev', '--yes', '--json');
    expect(r.exitCode, r.all).toBe(0);
    const names = (await liveStacks(local.endpoint(), 'demo-')).map((s) => s.StackName).sort();
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n!.startsWith('demo-dev-')), names.join(', ')).toBe(true);
    expect(existsSync(path.join(dir, '.spec3', 'dev', 'outputs.json'))).toBe(true);
  });

  it('names the resource types the local AWS only stands in for on --local, not at another endpoint', async () => {
    // WAF on: the edge stack's web ACL is one of the stand-ins.
    await editConfig(dir, (c) => {
      (c.stages.dev as Record<string, unknown>).waf = true;
    });
    // Without --json, so the progress (where the notice would be) is shown on stderr.
    const atEndpoint = await run('deploy', 'dev', '--yes');
    expect(atEndpoint.exitCode, atEndpoint.all).toBe(0);
    expect(atEndpoint.stderr).toContain('demo-dev-edge');
    expect(atEndpoint.stderr).not.toContain('stands in for');

    // The same edge stack created again, on the spec3 local AWS.
    const cfn = awsClient(CloudFormationClient, local.endpoint());
    await cfn.send(new DeleteStackCommand({ StackName: 'demo-dev-edge' }));
    const onLocal = await spec3(['deploy', 'dev', '--yes', '--local'], dir, localEnv());
    expect(onLocal.exitCode, onLocal.all).toBe(0);
    expect(onLocal.stderr).toMatch(/The local AWS stands in for [^\n]*AWS::WAFv2::WebACL[^\n]*: their wiring deploys/);
  });

  it('takes no --region: the stage names its region, and nothing reaches another one', async () => {
    for (const args of [['deploy', 'dev', '--yes'], ['status', 'dev'], ['destroy', 'dev', '--force']]) {
      const r = await run(...args, '--region', 'us-west-2');
      expect(r.exitCode, r.all).toBe(1);
      expect(r.stderr).toContain("--region us-west-2: spec3 takes no --region; each stage deploys to the region its config names (stages.<stage>.region).");
      expect(r.stderr).toContain('add a stage for us-west-2 there');
    }
    const west = new CloudFormationClient({ ...clientConfig(local.endpoint()), region: 'us-west-2' });
    expect((await west.send(new ListStacksCommand({}))).StackSummaries ?? []).toEqual([]);
    expect((await run('status', 'dev', '--json')).exitCode).toBe(0);
    // --help lists no --region either.
    expect((await run('deploy', '--help')).stdout).not.toContain('--region');
  });

  it('reaches AWS_ENDPOINT_URL without keys with the normal credential chain, not dummy keys', async () => {
    // A user of its own with its own key, through the AWS CLI: a caller the local AWS can tell from its dummy one.
    const cli = { ...env, AWS_DEFAULT_REGION: 'us-east-1' };
    expect((await sh('aws', ['iam', 'create-user', '--user-name', 'chain-user'], dir, cli)).exitCode).toBe(0);
    const created = await sh('aws', ['iam', 'create-access-key', '--user-name', 'chain-user', '--output', 'json'], dir, cli);
    expect(created.exitCode, created.all).toBe(0);
    const key = (JSON.parse(created.stdout) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } }).AccessKey;
    const files = await mkdtemp(path.join(os.tmpdir(), 'spec3-creds-'));
    try {
      const credentials = path.join(files, 'credentials');
      await writeFile(credentials, `[default]\naws_access_key_id = ${key.AccessKeyId}\naws_secret_access_key = ${key.SecretAccessKey}\n`);
      await writeFile(path.join(files, 'config'), '[default]\n');
      const chain = {
        AWS_ENDPOINT_URL: local.endpoint(),
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_SHARED_CREDENTIALS_FILE: credentials,
        AWS_CONFIG_FILE: path.join(files, 'config'),
        SPEC3_MAX_ATTEMPTS: '1',
      };
      const r = await spec3(['status', 'dev', '-v'], dir, chain);
      expect(r.exitCode, r.all).toBe(0);
      // The identity of the profile's key, at the endpoint, not marked as the local AWS.
      expect(r.all).toContain(`Credentials: arn:aws:iam::123456789012:user/chain-user at ${local.endpoint()}, region us-east-1`);
    } finally {
      await rm(files, { recursive: true, force: true });
    }
  });

  it('treats only --local as the spec3 local AWS: its dummy keys, without any in the environment', async () => {
    const r = await spec3(['status', 'dev', '-v', '--local'], dir, localEnv());
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toContain(`Credentials: arn:aws:sts::123456789012:user/moto at ${local.endpoint()} (the spec3 local AWS), region us-east-1`);
  });
});
