import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { writeProject } from '../helpers/project.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs();

const runCli = (argv: string[], cwd = process.cwd(), env: Record<string, string> = {}) => runMain(argv, cwd, env);

describe('spec3 (in-process)', () => {
  it('--help lists every command and the exit codes', async () => {
    const { code, out } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of ['init', 'synth', 'list', 'unlock']) expect(out).toMatch(new RegExp(`\\n  ${command}\\b`));
    expect(out).toContain('Exit codes: 0 success, 1 error, 2 changes or drift found (diff, drift), 130 aborted (Ctrl-C),\n143 stopped by SIGTERM, 129 stopped by SIGHUP.');
  });

  it.each(['init', 'synth', 'list', 'unlock'])('%s --help shows examples and exit codes', async (command) => {
    const { code, out } = await runCli([command, '--help']);
    expect(code).toBe(0);
    expect(out).toContain('Examples:');
    expect(out).toContain('Exit codes:');
  });

  it('rejects an unknown command and a missing argument with exit 1, a code and a hint', async () => {
    const unknown = await runCli(['deploy-all']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe("✖ unknown command 'deploy-all'\n  Run `spec3 --help` for the arguments and flags it takes.\n");
    const missing = await runCli(['synth']);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe("✖ missing required argument 'stage'\n  Run `spec3 synth --help` for the arguments and flags it takes.\n");
    const json = await runCli(['deploy', 'dev', '--bogus', '--json']);
    expect(json.code).toBe(1);
    expect(json.err).toBe('');
    expect(JSON.parse(json.out)).toEqual({
      error: { code: 'UNKNOWN_OPTION', message: "unknown option '--bogus'", hint: 'Run `spec3 deploy --help` for the arguments and flags it takes.' },
    });
  });

  it('rejects a bad flag value before reading the config, naming the flag', async () => {
    const dir = await tempDir();
    const cases = [
      [['deploy', 'dev', '--concurrency', '0'], 'INVALID_OPTION', '--concurrency "0": expected a whole number from 1 to 16.'],
      [['drift', 'dev', '--timeout', '-1'], 'INVALID_OPTION', '--timeout "-1": expected a whole number from 1 to 3600.'],
      [['diff', 'dev', '--phase', 'foo'], 'UNKNOWN_PHASE', '--phase "foo": unknown phase.'],
      [['status', 'dev', '--max-attempts', '0'], 'BAD_MAX_ATTEMPTS', '--max-attempts must be an integer from 1 to 20, got "0".'],
    ] as const;
    for (const [argv, code, message] of cases) {
      // No config in `dir`: a flag checked after the config would fail with CONFIG_NOT_FOUND instead.
      const r = await runCli([...argv, '--json'], dir);
      expect(r.code, r.out).toBe(1);
      const { error } = JSON.parse(r.out) as { error: { code: string; message: string; hint: string } };
      expect(error).toMatchObject({ code, message });
      expect(error.hint).toMatch(/--help|leave/);
    }
  });

  it('prints a named error with its hint, and the same as JSON under --json', async () => {
    const dir = await tempDir();
    const plain = await runCli(['synth', 'dev'], dir);
    expect(plain.code).toBe(1);
    expect(plain.err).toBe(`✖ No spec3.config.json in ${dir} or any directory above it.\n  Run spec3 from your project directory, pass --config <file>, or create a project with \`spec3 init\`.\n`);
    const json = await runCli(['synth', 'dev', '--json'], dir);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toEqual({
      error: {
        code: 'CONFIG_NOT_FOUND',
        message: `No spec3.config.json in ${dir} or any directory above it.`,
        hint: 'Run spec3 from your project directory, pass --config <file>, or create a project with `spec3 init`.',
      },
    });
  });

  it('list prints the plan as text and as JSON', async () => {
    const dir = await tempDir();
    await writeProject(dir);
    const text = await runCli(['list', 'dev'], dir);
    expect(text.code).toBe(0);
    expect(text.out.split('\n').slice(0, 4)).toEqual(['orders dev  account 123456789012  us-east-1', '', '1. foundation', expect.stringMatching(/^ {3}orders-dev-network +\d+ resources$/)]);
    const json = await runCli(['list', 'dev', '--json'], dir);
    expect(JSON.parse(json.out).phases.map((p: { phase: string }) => p.phase)).toEqual(['foundation', 'app', 'integrations']);
  });
});
