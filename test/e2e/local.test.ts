import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, stopProcess } from '../../src/aws/local/probe.js';
import { clientConfig } from '../helpers/local-aws.js';
import { spec3 } from './helpers.js';

/** `spec3 local` through the built binary, with its own ~/.spec3 in a temp directory. */
describe('spec3 local', () => {
  let home = '';
  let env: Record<string, string> = {};
  const stateFile = () => path.join(home, 'local.json');
  const run = (...args: string[]) => spec3(['local', ...args], home, env);

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'spec3-home-'));
    env = { SPEC3_HOME: home };
  });

  afterAll(async () => {
    // A failed assertion must not leave a server running.
    if (existsSync(stateFile())) await stopProcess((JSON.parse(readFileSync(stateFile(), 'utf8')) as { pid: number }).pid);
    await rm(home, { recursive: true, force: true });
  });

  it('start runs a server that outlives the command; start again reports it; status shows it; stop ends it', async () => {
    const none = await run('status');
    expect(none.exitCode, none.all).toBe(0);
    expect(none.stdout).toBe('No local AWS is running. Start one with `spec3 local start`.');

    const started = await run('start');
    expect(started.exitCode, started.all).toBe(0);
    const [, endpoint, pid] = /Local AWS running at (http:\/\/localhost:\d+) \(pid (\d+)\)\./.exec(started.stdout) ?? [];
    expect(endpoint, started.all).toBeDefined();
    expect(started.stdout).toContain('spec3 bootstrap dev --local && spec3 deploy dev --local');
    expect(started.stdout).toContain(`export AWS_ENDPOINT_URL=${endpoint} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1`);
    expect(started.stdout).toContain(`Log: ${path.join(home, 'local.log')}`);
    expect(JSON.parse(readFileSync(stateFile(), 'utf8'))).toMatchObject({ pid: Number(pid), endpoint, port: Number(new URL(endpoint!).port) });
    // The command has exited; the server still answers AWS calls.
    const cfn = new CloudFormationClient(clientConfig(endpoint!));
    expect((await cfn.send(new ListStacksCommand({}))).StackSummaries).toEqual([]);

    const again = await run('start');
    expect(again.exitCode, again.all).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^Local AWS already running at ${endpoint} \\(pid ${pid}\\), up \\d+s\\.`));

    const status = await run('status', '--json');
    expect(status.exitCode, status.all).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual({
      running: true,
      endpoint,
      port: Number(new URL(endpoint!).port),
      pid: Number(pid),
      startedAt: expect.any(String),
      uptimeSeconds: expect.any(Number),
      logFile: path.join(home, 'local.log'),
    });

    const stopped = await run('stop');
    expect(stopped.exitCode, stopped.all).toBe(0);
    expect(stopped.stdout).toBe(`✔ Stopped the local AWS at ${endpoint} (pid ${pid}).`);
    expect(isAlive(Number(pid))).toBe(false);
    expect(existsSync(stateFile())).toBe(false);

    const twice = await run('stop');
    expect(twice.exitCode, twice.all).toBe(0);
    expect(twice.stdout).toBe('No local AWS is running.');
  });

  it('without Python it fails with exit 1 and says how to get moto', async () => {
    const r = await spec3(['local', 'start'], home, { ...env, SPEC3_PYTHON: '/nonexistent' });
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stderr).toContain('✖ Python not found: "/nonexistent".');
    expect(r.stderr).toContain("pip install 'moto[server]'");
    expect(r.stderr).toContain('--endpoint http://localhost:4566');
    const json = await spec3(['local', 'start', '--json'], home, { ...env, SPEC3_PYTHON: '/nonexistent' });
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout).error.code).toBe('LOCAL_AWS_UNAVAILABLE');
    expect(existsSync(stateFile())).toBe(false);
  });

  it('--help of each subcommand shows examples and exit codes; a bad port is a usage error', async () => {
    for (const sub of [[], ['start'], ['status'], ['stop']]) {
      const r = await run(...sub, '--help');
      expect(r.exitCode, r.all).toBe(0);
      expect(r.stdout).toContain('Examples:');
      expect(r.stdout).toContain('Exit codes:');
    }
    const bad = await run('start', '--port', 'http');
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('a port is an integer from 1 to 65535.');
  });
});
