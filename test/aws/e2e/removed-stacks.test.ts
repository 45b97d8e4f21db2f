import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsEnv, useLocalAws } from '../../helpers/local-aws.js';
import { spec3, spec3Typing } from '../../e2e/helpers.js';
import { editConfig, initProject, liveStacks, readConfig, type ProjectConfig } from './project.js';

/**
 * A stack the config dropped, through the built binary against the local AWS: features.api and
 * the http triggers removed after a full deploy leave the public API's stack live; deploy, diff
 * and status name it, and `deploy --prune` deletes it with destroy's safety.
 */
describe('stacks removed from the config on the local AWS', () => {
  const local = useLocalAws({ resetBeforeEach: false });
  let parent = '';
  let dir = '';
  let original: ProjectConfig;
  /** The change that leaves the api stack without a reason to exist: no features.api, no http trigger. */
  const dropApi = (c: ProjectConfig) => {
    const config = c as unknown as { features: Record<string, unknown>; functions: { triggers?: { type: string }[] }[] };
    delete config.features.api;
    for (const fn of config.functions) fn.triggers = fn.triggers?.filter((t) => t.type !== 'http');
  };
  const run = (...args: string[]) => spec3(args, dir, awsEnv(local.endpoint()));
  const live = async () => (await liveStacks(local.endpoint(), 'demo-dev-')).map((s) => s.StackName).sort();

  beforeAll(async () => {
    await local.reset();
    parent = await mkdtemp(path.join(os.tmpdir(), 'spec3-removed-'));
    dir = await initProject(parent);
    expect((await run('bootstrap', 'dev')).exitCode).toBe(0);
    const deployed = await run('deploy', 'dev', '--yes');
    expect(deployed.exitCode, deployed.all).toBe(0);
    expect(await live()).toContain('demo-dev-api');
    original = structuredClone(await readConfig(dir));
    await editConfig(dir, dropApi);
  });

  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('deploy names the stack the config dropped and leaves it (exit 0)', async () => {
    const r = await run('deploy', 'dev', '--yes');
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stderr).toContain('Removed from config but still deployed: demo-dev-api (CREATE_COMPLETE)');
    expect(r.stdout).toContain('removed from config, still deployed');
    expect(r.stdout).toMatch(/demo-dev-api +CREATE_COMPLETE/);
    expect(r.stdout).toContain('`spec3 deploy dev --prune` deletes them after the deploy.');
    expect(await live()).toContain('demo-dev-api');
  });

  it('diff counts it as a difference (exit 2) and status flags it', async () => {
    const text = await run('diff', 'dev');
    expect(text.exitCode, text.all).toBe(2);
    expect(text.stdout).toMatch(/demo-dev-api +removed from config/);
    expect(text.stdout).toContain('1 stack(s) removed from config: demo-dev-api');
    const json = await run('diff', 'dev', '--json');
    expect(json.exitCode, json.all).toBe(2);
    expect((JSON.parse(json.stdout) as { removed: unknown[] }).removed).toEqual([{ name: 'demo-dev-api', phase: 'app', status: 'CREATE_COMPLETE' }]);

    const status = await run('status', 'dev');
    expect(status.exitCode, status.all).toBe(0);
    expect(status.stdout).toMatch(/demo-dev-api +CREATE_COMPLETE.*removed from config/);
    expect(status.stdout).not.toMatch(/demo-dev-compute .*removed from config/);
  });

  it('deploy --prune without a terminal and without --yes asks destroy\'s question and is refused, deleting nothing', async () => {
    const r = await run('deploy', 'dev', '--prune');
    expect(r.exitCode, r.all).toBe(1);
    // Destroy's plan, then its confirmation, which nobody can give here.
    expect(r.stderr).toContain('Stacks to delete, in this order:');
    expect(r.stderr).toMatch(/app\n +demo-dev-api +CREATE_COMPLETE\n/);
    expect(r.stderr).toContain('deleting the stacks removed from config (demo-dev-api) needs the stage name typed as confirmation');
    expect(r.stderr).toContain('or add --yes to delete them without the confirmation');
    expect(await live()).toContain('demo-dev-api');
  });

  it('deploy --prune in a terminal: the stage name typed, exactly that stack deleted after the deploy; diff is clean again', async () => {
    const before = await live();
    const r = await spec3Typing('dev', ['deploy', 'dev', '--prune'], dir, awsEnv(local.endpoint()));
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toContain('Type the stage name (dev) to delete 1 stack(s)');
    expect(await live()).toEqual(before.filter((name) => name !== 'demo-dev-api'));
    const diff = await run('diff', 'dev');
    expect(diff.exitCode, diff.all).toBe(0);
  });

  it('deploy --prune --yes deletes it without the question (unprotected stage)', async () => {
    await editConfig(dir, (c) => Object.assign(c, structuredClone(original)));
    const again = await run('deploy', 'dev', '--yes');
    expect(again.exitCode, again.all).toBe(0);
    expect(await live()).toContain('demo-dev-api');
    await editConfig(dir, dropApi);
    const before = await live();
    const r = await run('deploy', 'dev', '--prune', '--yes');
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toContain('demo-dev-api');
    expect(await live()).toEqual(before.filter((name) => name !== 'demo-dev-api'));
  });
});
