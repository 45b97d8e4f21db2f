import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { awsEnv, useLocalAws } from '../../helpers/local-aws.js';
import { useTempDirs } from '../../helpers/tmp.js';
import { BIN, CTRL_C, sh, spec3, spec3InTerminal, type PtyStep } from '../../e2e/helpers.js';
import { awsClient, initProject, liveStacks, readConfig } from './project.js';

const LATER_PHASES = ['compute', 'api', 'monitoring', 'integrations'];
const MINUTES = 60_000;

/**
 * A person at a real terminal (a pseudo-terminal with the task list on, not CI) stops a deploy or
 * a destroy in the middle of a phase: Ctrl-C typed, SIGTERM, the terminal closed, a second Ctrl-C,
 * kill -9. Answers of the local AWS are slowed by a proxy so that the signal lands while stacks
 * are under way. Each case checks the exit code, the report, the lock parameter read from SSM, and
 * that the next run finishes the stage.
 */
describe('runs that end badly: signals and stage locks', () => {
  const local = useLocalAws();
  const tempDir = useTempDirs();
  let dir = '';
  let project = '';
  let proxy: FaultProxy | undefined;

  const direct = (...args: string[]) => spec3(args, dir, awsEnv(local.endpoint()));
  const slowEnv = () => ({ ...awsEnv(proxy!.endpoint), SPEC3_MAX_ATTEMPTS: '' });
  /** Every poll of a change set or stack answered `slowMs` late, so a phase lasts long enough to be stopped in its middle. */
  const slowDown = async (slowMs = 400) => {
    proxy = await startFaultProxy({ upstream: local.endpoint(), rates: { slow: 1, only: ['DescribeStacks', 'DescribeStackEvents', 'DescribeChangeSet'] }, slowMs });
  };
  const inTerminal = (steps: PtyStep[], ...args: string[]) => spec3InTerminal(steps, args, dir, slowEnv());
  /** The approval a terminal asks before a first deploy (it widens IAM access), answered with enter. */
  const approve: PtyStep = { when: 'Deploy these access changes?', type: 'y\r' };
  type Act = { type: string } | { signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGKILL' };
  /** 1.5 s into the foundation phase: with polls answered 1.5 s late, its four stacks are waiting on their change sets. */
  const midPhase = (step: Act): PtyStep => ({ when: 'Phase foundation', delay: 1.5, ...step });
  const lockValue = () =>
    awsClient(SSMClient, local.endpoint())
      .send(new GetParameterCommand({ Name: `/spec3/${project}/dev/lock` }))
      .then((o) => o.Parameter?.Value, () => undefined);
  const stackStates = async () =>
    Object.fromEntries((await liveStacks(local.endpoint(), `${project}-dev-`)).map((s) => [s.StackName!.replace(`${project}-dev-`, ''), s.StackStatus]));
  const expectStageDeployed = async () => {
    const states = await stackStates();
    expect(Object.keys(states).sort()).toEqual(['api', 'compute', 'integrations', 'messaging', 'monitoring', 'network', 'security', 'storage']);
    expect(Object.values(states).every((s) => s === 'CREATE_COMPLETE' || s === 'UPDATE_COMPLETE'), JSON.stringify(states)).toBe(true);
  };
  /** Runs a hint's command exactly as printed, in a shell whose PATH has `spec3` as an installed bin would. */
  const runAsPrinted = async (command: string) => {
    const bin = path.join(dir, '.bin');
    await execa('mkdir', ['-p', bin]);
    await writeFile(path.join(bin, 'spec3'), `#!/bin/sh\nexec node ${BIN} "$@"\n`);
    await chmod(path.join(bin, 'spec3'), 0o755);
    return sh('sh', ['-c', command], dir, { ...awsEnv(local.endpoint()), CI: '1', NO_COLOR: '1', PATH: `${bin}:${process.env.PATH}` });
  };

  beforeEach(async () => {
    dir = await initProject(await tempDir());
    project = (await readConfig(dir)).project;
    const boot = await direct('bootstrap', 'dev');
    expect(boot.exitCode, boot.all).toBe(0);
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  const stops: { name: string; step: PtyStep; code: number; notice: string }[] = [
    { name: 'Ctrl-C typed', step: midPhase({ type: CTRL_C }), code: 130, notice: 'Ctrl-C: stopping.' },
    { name: 'SIGTERM', step: midPhase({ signal: 'SIGTERM' }), code: 143, notice: 'SIGTERM: stopping.' },
    // The signal a closed terminal sends; the terminal itself stays open here, so the report can be read.
    { name: 'SIGHUP', step: midPhase({ signal: 'SIGHUP' }), code: 129, notice: 'SIGHUP (terminal closed): stopping.' },
  ];
  for (const stop of stops) {
    it(`deploy, ${stop.name} mid-phase: exit ${stop.code}, the report names the stacks under way, no lock left; the next deploy finishes the stage`, async () => {
      await slowDown(1500);
      const r = await inTerminal([approve, stop.step], 'deploy', 'dev');
      expect(r.exitCode, r.all).toBe(stop.code);
      expect(r.stdout).toContain(stop.notice);
      expect(r.stdout).toContain('Interrupted; no new stack was started');
      expect(r.stdout).toMatch(new RegExp(`(Under way when stopped|CloudFormation is still working on): ${project}-dev-\\w+ \\(`));
      expect(r.stdout).toContain('Run `spec3 deploy dev` to');
      expect(await lockValue()).toBeUndefined();
      expect(Object.keys(await stackStates()).filter((s) => LATER_PHASES.includes(s))).toEqual([]);

      const again = await direct('deploy', 'dev', '--yes');
      expect(again.exitCode, again.all).toBe(0);
      await expectStageDeployed();
    }, 5 * MINUTES);
  }

  it('deploy, Ctrl-C at the approval question: exit 130, nothing deployed, no lock left', async () => {
    await slowDown();
    const r = await inTerminal([{ when: 'Deploy these access changes?', type: CTRL_C }], 'deploy', 'dev');
    expect(r.exitCode, r.all).toBe(130);
    expect(await lockValue()).toBeUndefined();
    expect(await stackStates()).toEqual({});
  }, 5 * MINUTES);

  it('destroy, Ctrl-C mid-phase after the typed name: exit 130, the report names what was being deleted, no lock left; the next destroy finishes', async () => {
    const deployed = await direct('deploy', 'dev', '--yes');
    expect(deployed.exitCode, deployed.all).toBe(0);
    await slowDown();
    const r = await inTerminal([{ when: 'stage name', type: 'dev\r', delay: 0.2 }, { when: 'Phase app', delay: 0.3, type: CTRL_C }], 'destroy', 'dev');
    expect(r.exitCode, r.all).toBe(130);
    expect(r.stdout).toContain('Ctrl-C: stopping.');
    expect(r.stdout).toContain('Interrupted; no new deletion was started');
    expect(r.stdout).toMatch(new RegExp(`(Under way when stopped|CloudFormation is still deleting): ${project}-dev-\\w+ \\(`));
    expect(r.stdout).toContain('Run `spec3 destroy dev` to');
    expect(await lockValue()).toBeUndefined();
    // Foundation was not started: reverse order stops before it.
    const left = await stackStates();
    expect(['network', 'security', 'storage', 'messaging'].every((s) => s in left), JSON.stringify(left)).toBe(true);

    const again = await direct('destroy', 'dev', '--force');
    expect(again.exitCode, again.all).toBe(0);
    expect(await stackStates()).toEqual({});
  }, 5 * MINUTES);

  it('a second Ctrl-C exits at once naming the lock it leaves and the command that clears it; that command works as printed', async () => {
    // The cleanup the first Ctrl-C starts (a poll answered 1.5 s late) is still going when the second comes.
    await slowDown(1500);
    const r = await inTerminal([approve, midPhase({ type: CTRL_C }), { when: 'stopping', delay: 0.2, type: CTRL_C }], 'deploy', 'dev');
    expect(r.exitCode, r.all).toBe(130);
    expect(r.stdout).toContain('Ctrl-C again: exiting at once. Left behind:');
    const unlock = /the lock of stage dev \(\/spec3\/\w+\/dev\/lock\): clear it with `([^`]+)`/.exec(r.stdout);
    expect(unlock?.[1], r.stdout).toBe('spec3 unlock dev --force');
    expect(r.stdout).not.toContain('Interrupted; no new stack was started');
    expect(await lockValue()).toBeDefined();

    const cleared = await runAsPrinted(unlock![1]!);
    expect(cleared.exitCode, cleared.all).toBe(0);
    expect(cleared.stdout).toMatch(/Removed the lock of stage dev .* running `spec3 deploy dev`.*\(that process was no longer running\)/);
    expect(await lockValue()).toBeUndefined();
    const again = await direct('deploy', 'dev', '--yes');
    expect(again.exitCode, again.all).toBe(0);
    await expectStageDeployed();
  }, 5 * MINUTES);

  it('kill -9 mid-phase: the next run and status name the abandoned lock with the unlock command, which works as printed; then deploy finishes', async () => {
    await slowDown(1500);
    const killed = await inTerminal([approve, midPhase({ signal: 'SIGKILL' })], 'deploy', 'dev');
    expect(killed.stderr).toContain('pty-run: killed by signal 9');
    const held = JSON.parse((await lockValue())!) as Record<string, unknown>;
    expect(held).toMatchObject({ command: 'spec3 deploy dev', pid: expect.any(Number), host: expect.any(String), startedAt: expect.any(String) });

    const refused = await direct('deploy', 'dev', '--yes');
    expect(refused.exitCode, refused.all).toBe(1);
    expect(refused.stderr).toContain(`but process ${held.pid} is no longer running on this machine: the lock was abandoned`);
    const hint = /Clear it with `([^`]+)`, then run the command again\./.exec(refused.stderr);
    expect(hint?.[1], refused.stderr).toBe('spec3 unlock dev --force');
    expect(refused.stderr).not.toContain('new stack');

    const status = await direct('status', 'dev');
    expect(status.exitCode, status.all).toBe(0);
    expect(status.stdout).toContain(`Locked by ${String(held.holder)} (pid ${held.pid}) running \`spec3 deploy dev\``);
    expect(status.stdout).toContain('abandoned, that process no longer runs on this machine. Clear it with `spec3 unlock dev --force`.');

    const cleared = await runAsPrinted(hint![1]!);
    expect(cleared.exitCode, cleared.all).toBe(0);
    expect(cleared.stdout).toContain(`Removed the lock of stage dev (/spec3/${project}/dev/lock), held by ${String(held.holder)} (pid ${held.pid})`);
    expect(await lockValue()).toBeUndefined();
    const again = await direct('deploy', 'dev', '--yes');
    expect(again.exitCode, again.all).toBe(0);
    await expectStageDeployed();
  }, 5 * MINUTES);

  it('unlock refuses a live holder (a deploy held back by a slow proxy), --force or not; that deploy then completes and releases the lock', async () => {
    await slowDown();
    const deploy = execa('node', [BIN, 'deploy', 'dev', '--yes'], { cwd: dir, reject: false, all: true, env: { CI: '1', NO_COLOR: '1', ...slowEnv() } });
    let out = '';
    await new Promise<void>((resolve) =>
      deploy.all!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Phase foundation')) resolve();
      }),
    );
    const refused = await direct('unlock', 'dev', '--force');
    expect(refused.exitCode, refused.all).toBe(1);
    expect(refused.stderr).toContain(`(pid ${deploy.pid}) running \`spec3 deploy dev\``);
    expect(refused.stderr).toContain('which is still running on this machine. Nothing was removed.');
    expect(refused.stderr).toContain(`\`kill ${deploy.pid}\``);
    expect(await lockValue()).toBeDefined();
    const r = await deploy;
    expect(r.exitCode, r.all).toBe(0);
    expect(await lockValue()).toBeUndefined();
    await expectStageDeployed();
  }, 5 * MINUTES);
});
