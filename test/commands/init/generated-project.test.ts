import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa, execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import { run, type InitOptions } from '../../../src/commands/init/index.js';
import { TestIo } from '../../helpers/io.js';
import { useTempDirs } from '../../helpers/tmp.js';

/** The generated project must work as written: its own tests pass, its workflow parses. */
describe('a generated project', () => {
  const tempDir = useTempDirs();
  const generate = async (options: InitOptions = {}, answers: Record<string, unknown> = {}) => {
    const cwd = await tempDir();
    await run({ dir: 'orders', git: false, ...options }, { cwd, io: new TestIo(answers) });
    return path.join(cwd, 'orders');
  };
  const unittest = (cwd: string) =>
    execa('python3', ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'], { cwd, reject: false, all: true });

  it('passes its Python tests', async () => {
    const result = await unittest(await generate());
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toMatch(/Ran (\d+) tests/);
    expect(Number(/Ran (\d+) tests/.exec(result.all ?? '')![1])).toBeGreaterThanOrEqual(15);
    expect(result.all).toMatch(/\nOK\s*$/);
  });

  it('passes its Python tests without the API (and so without the api handler)', async () => {
    const result = await unittest(await generate({}, { INIT_API: 'none' }));
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toMatch(/\nOK\s*$/);
  });

  it('imports every Python handler without boto3', async () => {
    const dir = await generate({ name: 'my-shop' });
    const script = [
      'import sys',
      "sys.path.insert(0, 'src')",
      'from my_shop.handlers import api, log_processor, health_monitor, analysis, backup',
      "assert 'boto3' not in sys.modules, 'boto3 imported at module load'",
      "print('imported')",
    ].join('\n');
    const result = await execa('python3', ['-c', script], { cwd: dir, reject: false, all: true });
    expect(result.all).toBe('imported');
  });

  it('passes its Node.js tests', async () => {
    const result = await execa('node', ['--test'], { cwd: await generate({ runtime: 'nodejs22.x' }), reject: false, all: true });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toMatch(/# pass (1[5-9]|[2-9]\d)/);
    expect(result.all).toMatch(/# fail 0/);
  });

  const hasYaml = execaSync('python3', ['-c', 'import yaml'], { reject: false }).exitCode === 0;
  it.skipIf(!hasYaml)('has a GitHub Actions workflow that is valid YAML with OIDC and gated stages', async () => {
    const dir = await generate({ github: 'acme/orders', region: 'eu-central-1' });
    const file = path.join(dir, '.github', 'workflows', 'deploy.yml');
    const parsed = await execa('python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', file]);
    const workflow = JSON.parse(parsed.stdout) as Record<string, any>;
    // PyYAML reads the key `on` as YAML 1.1's boolean true; GitHub reads it as "on".
    expect(workflow.true ?? workflow.on).toEqual({ push: { branches: ['main'] }, pull_request: null });
    expect(workflow.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(Object.keys(workflow.jobs)).toEqual(['test', 'deploy-dev', 'deploy-staging', 'deploy-prod']);
    expect(workflow.jobs.test.steps.at(-1)).toEqual({ run: 'python -m unittest discover -s tests -t .' });
    for (const [stage, needs] of [
      ['dev', 'test'],
      ['staging', 'deploy-dev'],
      ['prod', 'deploy-staging'],
    ] as const) {
      const job = workflow.jobs[`deploy-${stage}`];
      expect(job.needs).toBe(needs);
      // Only the protected stage runs in a GitHub environment: its role trusts that environment's
      // tokens, the others trust the branch (a job naming an environment would not match them).
      expect(job.environment).toBe(stage === 'prod' ? 'prod' : undefined);
      expect(job.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
      expect(job.steps).toContainEqual({
        uses: 'aws-actions/configure-aws-credentials@v4',
        with: {
          'role-to-assume': `arn:aws:iam::123456789012:role/orders-${stage}-deploy`,
          'role-session-name': `github-${stage}-\${{ github.run_id }}`,
          'aws-region': 'eu-central-1',
        },
      });
      expect(job.steps.at(-1)).toEqual({ run: `npx spec3 deploy ${stage} --yes` });
    }
    const readme = await readFile(path.join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('on every push and pull request of acme/orders');
    expect(readme).toContain('npx spec3 deploy dev --phase foundation\n   npx spec3 deploy staging --phase foundation\n   npx spec3 deploy prod --phase foundation');
  });
});
