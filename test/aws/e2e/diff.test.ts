import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CloudFormationClient, ListChangeSetsCommand, type ChangeSetSummary } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsEnv, useLocalAws } from '../../helpers/local-aws.js';
import { spec3 } from '../../e2e/helpers.js';
import { awsClient, editConfig, initProject } from './project.js';

interface Diff {
  project: string;
  stage: string;
  account: string;
  region: string;
  stacks: {
    name: string;
    phase: string;
    status: 'new' | 'changed' | 'unchanged';
    resources: { logicalId: string; type: string; change: string; replacement?: boolean | string }[];
    security: { broadened: boolean; iam: string[]; securityGroups: string[] };
    text: string;
    changeSet?: { action: string; logicalId: string; type: string }[];
  }[];
}

/**
 * `spec3 diff` through the built binary against the local AWS, along a stage's life: nothing
 * deployed, deployed, then a config change that touches one stack. Exit codes are what CI
 * branches on: 0 no changes, 2 changes, 1 could not tell.
 */
describe('diff on the local AWS', () => {
  // Each step builds on the stage the previous ones left, so the server is reset once, up front.
  const local = useLocalAws({ resetBeforeEach: false });
  let parent = '';
  let dir = '';
  const run = (...args: string[]) => spec3(args, dir, awsEnv(local.endpoint()));
  const statuses = (d: Diff) => Object.fromEntries(d.stacks.map((s) => [s.name.replace('demo-dev-', ''), s.status]));
  const changeSets = async (): Promise<ChangeSetSummary[]> =>
    (await awsClient(CloudFormationClient, local.endpoint()).send(new ListChangeSetsCommand({ StackName: 'demo-dev-compute' }))).Summaries ?? [];

  beforeAll(async () => {
    await local.reset();
    parent = await mkdtemp(path.join(os.tmpdir(), 'spec3-diff-'));
    dir = await initProject(parent);
  });

  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('before any deploy: every stack is new, exit 2', async () => {
    const r = await run('diff', 'dev', '--json');
    expect(r.exitCode, r.all).toBe(2);
    const diff = JSON.parse(r.stdout) as Diff;
    expect(Object.values(statuses(diff))).toEqual(Array(8).fill('new'));
    const compute = diff.stacks.find((s) => s.name === 'demo-dev-compute')!;
    expect(compute.resources.every((res) => res.change === 'add')).toBe(true);
    expect(compute.resources).toContainEqual({ logicalId: expect.stringMatching(/^Api/), type: 'AWS::Lambda::Function', change: 'add' });
    // New execution roles are access that widens.
    expect(compute.security.broadened).toBe(true);

    const text = await run('diff', 'dev', '--change-set');
    expect(text.exitCode, text.all).toBe(2);
    expect(text.stdout).toMatch(/demo-dev-network +new/);
    expect(text.stdout).toContain('[+] AWS::EC2::VPC');
    expect(text.stdout).toContain('Change set: not deployed: no change set');
    expect(text.stdout).toContain('8 of 8 stack(s) would change');
  });

  it('after `deploy dev`: no differences, exit 0', async () => {
    expect((await run('bootstrap', 'dev')).exitCode).toBe(0);
    const deploy = await run('deploy', 'dev', '--yes');
    expect(deploy.exitCode, deploy.all).toBe(0);
    const r = await run('diff', 'dev');
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(/demo-dev-compute +no differences/);
    expect(r.stdout).toContain('No differences in 8 stack(s).');
  });

  it('a function memory change: exit 2 naming only the compute stack, its MemorySize and the new version behind the live alias', async () => {
    const config = await editConfig(dir, (c) => {
      c.functions[0]!.memory = 512;
    });
    const r = await run('diff', 'dev');
    expect(r.exitCode, r.all).toBe(2);
    expect(r.stdout).toMatch(/demo-dev-compute +changed/);
    expect(r.stdout).toMatch(/\[~\] AWS::Lambda::Function Api\w+\n +└─ \[~\] MemorySize\n +├─ \[-\] 256\n +└─ \[\+\] 512/);
    expect(r.stdout).toContain('1 of 8 stack(s) would change: demo-dev-compute');

    const json = await run('diff', 'dev', '--json');
    expect(json.exitCode, json.all).toBe(2);
    const diff = JSON.parse(json.stdout) as Diff;
    expect(diff).toMatchObject({ project: config.project, stage: 'dev', account: '123456789012', region: 'us-east-1' });
    expect(Object.entries(statuses(diff)).filter(([, s]) => s !== 'unchanged')).toEqual([['compute', 'changed']]);
    const compute = diff.stacks.find((s) => s.name === 'demo-dev-compute')!;
    expect(compute).toMatchObject({ phase: 'app', security: { broadened: false, iam: [], securityGroups: [] } });
    // A configuration change publishes a new version, and the live alias moves to it.
    const changes = compute.resources.map((r) => `${r.change} ${r.type}`).sort();
    expect(changes).toEqual(['add AWS::Lambda::Version', 'modify AWS::Lambda::Alias', 'modify AWS::Lambda::Function', 'remove AWS::Lambda::Version']);
    expect(compute.resources.find((r) => r.type === 'AWS::Lambda::Function')).toMatchObject({
      logicalId: expect.stringMatching(/^Api/),
      change: 'modify',
      replacement: false,
    });
    expect(compute.text).toContain('MemorySize');
    expect(diff.stacks.filter((s) => s.status === 'unchanged').every((s) => s.text === '' && s.resources.length === 0)).toBe(true);

    // The other phases would not change.
    const foundation = await run('diff', 'dev', '--phase', 'foundation');
    expect(foundation.exitCode, foundation.all).toBe(0);
  });

  it("--change-set: CloudFormation's plan, exit 2, and no change set left behind", async () => {
    const before = await changeSets();
    const r = await run('diff', 'dev', '--change-set', '--stack', 'compute');
    expect(r.exitCode, r.all).toBe(2);
    // The function, its new version, the old one and the alias.
    expect(r.stdout).toMatch(/CloudFormation change set \(deleted after reading\): \d+ resource change\(s\)/);
    expect(r.stdout).toMatch(/Modify AWS::Lambda::Function Api\w+/);
    const after = await changeSets();
    // The emulator keeps executed change sets (CloudFormation removes them); none is pending, and none of diff's remains.
    expect(after.filter((s) => s.ExecutionStatus !== 'EXECUTE_COMPLETE')).toEqual([]);
    expect(after.filter((s) => s.ChangeSetName?.startsWith('spec3-diff-'))).toEqual([]);
    expect(after.map((s) => s.ChangeSetId)).toEqual(before.map((s) => s.ChangeSetId));
  });

  it('credentials of another account: exit 1, nothing compared', async () => {
    await editConfig(dir, (c) => {
      c.stages.dev!.account = '111111111111';
    });
    const r = await run('diff', 'dev');
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Stage dev belongs to account 111111111111, but the credentials are for account 123456789012');
  });
});
