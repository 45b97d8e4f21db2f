import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sh, spec3 } from './helpers.js';

const STAGES = ['dev', 'staging', 'prod'] as const;

/**
 * The newcomer's path through the built binary: `init --yes` into an empty directory, `synth`
 * for every stage with no edits, cfn-lint over every template, and the project's own tests.
 */
describe('init -> synth -> cfn-lint (built binary)', () => {
  // One directory for the whole file: the steps build on each other, like a user's session.
  let parent: string;
  let project: string;
  beforeAll(async () => {
    parent = await mkdtemp(path.join(os.tmpdir(), 'spec3-e2e-'));
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });
  const synthesized: Record<string, { outDir: string; phases: { phase: string; stacks: { name: string; template: string }[] }[] }> = {};


  it('init --yes writes a project without asking anything', async () => {
    project = path.join(parent, 'orders');
    const result = await spec3(['init', project, '--yes', '--no-git'], parent);
    expect(result.exitCode, result.all).toBe(0);
    const files = await readdir(project);
    expect(files).toEqual(expect.arrayContaining(['spec3.config.json', 'src', 'tests', 'requirements.txt', 'README.md', '.gitignore', '.github']));
    const config = JSON.parse(await readFile(path.join(project, 'spec3.config.json'), 'utf8'));
    expect(config.project).toBe('orders');
    expect(Object.keys(config.stages)).toEqual([...STAGES]);

    for (const stage of STAGES) {
      const synth = await spec3(['synth', stage, '--json'], project);
      expect(synth.exitCode, synth.all).toBe(0);
      synthesized[stage] = JSON.parse(synth.stdout);
    }
  });

  it('synthesizes every stage into phases with the stacks of the original system', () => {
    for (const stage of STAGES) {
      const phases = synthesized[stage]!.phases;
      expect(phases.map((p) => p.phase)).toEqual(['foundation', 'app', 'integrations']);
      // prod asks for WAF by default: its web ACL is the edge stack.
      const kinds = ['api', 'compute', 'integrations', 'messaging', 'monitoring', 'network', 'security', 'storage', ...(stage === 'prod' ? ['edge'] : [])];
      expect(phases.flatMap((p) => p.stacks.map((s) => s.name)).sort()).toEqual(kinds.map((k) => `orders-${stage}-${k}`).sort());
    }
  });

  it('passes cfn-lint with zero errors on every template of every stage', async () => {
    const templates = STAGES.flatMap((stage) =>
      synthesized[stage]!.phases.flatMap((p) => p.stacks.map((s) => path.join(synthesized[stage]!.outDir, s.template))),
    );
    expect(templates).toHaveLength(25);
    const lint = await sh('cfn-lint', ['--format', 'parseable', ...templates], parent);
    // cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational.
    const errors = lint.all.split('\n').filter((line) => /:E\d{4}:/.test(line));
    expect(errors, lint.all).toEqual([]);
    expect(lint.exitCode & 2, lint.all).toBe(0);
    expect(lint.exitCode & 1, `cfn-lint failed to run: ${lint.all}`).toBe(0);
  });

  it("passes the generated project's own Python tests", async () => {
    const result = await sh('python3', ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'], project);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toMatch(/\nOK/);
    expect(result.all).toMatch(/Ran [1-9]\d* tests?/);
  });

  it('lists the phase plan of prod with termination protection', async () => {
    const result = await spec3(['list', 'prod'], project);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain('1. foundation');
    expect(result.stdout).toMatch(/orders-prod-storage\s+\d+ resources\s+after orders-prod-security\s+termination-protected/);
    expect(result.stdout).toContain('Protected stage: termination protection on, data retained.');
  });

  it('fails with exit 1 and a named error on an unknown stage and on a broken config', async () => {
    const unknown = await spec3(['synth', 'qa'], project);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('✖ Unknown stage "qa": spec3.config.json defines "dev", "staging", "prod".');

    const other = path.join(parent, 'broken');
    await sh('cp', ['-r', project, other], parent);
    const config = JSON.parse(await readFile(path.join(other, 'spec3.config.json'), 'utf8'));
    config.stages.dev.account = '42';
    await writeFile(path.join(other, 'spec3.config.json'), JSON.stringify(config));
    const broken = await spec3(['synth', 'dev', '--json'], other);
    expect(broken.exitCode).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({
      error: { code: 'CONFIG_INVALID', message: 'spec3.config.json: stages.dev.account: expected a 12-digit AWS account id, e.g. "123456789012"' },
    });
  });
});
