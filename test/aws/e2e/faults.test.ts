import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteParameterCommand, GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import os from 'node:os';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy, type FaultProxyOptions } from '../../helpers/fault-proxy.js';
import { awsEnv, useLocalAws } from '../../helpers/local-aws.js';
import { useTempDirs } from '../../helpers/tmp.js';
import { BIN, spec3 } from '../../e2e/helpers.js';
import { awsClient, initProject, liveStacks, readConfig } from './project.js';

/**
 * Deploys through the built binary while a proxy between it and the local AWS injects faults:
 * throttling, 5xx, dropped connections, slow answers, failures of chosen calls, Ctrl-C, and a
 * second deploy of the same stage. Each scenario checks the exit code, the message, and the state
 * the stage is really left in. Faults come from fixed seeds; the summary line of each scenario
 * (console.info) gives the faults injected.
 */
describe('deploy under faults', () => {
  const local = useLocalAws();
  const tempDir = useTempDirs();
  let dir = '';
  let project = '';
  let proxy: FaultProxy | undefined;

  const direct = (...args: string[]) => spec3(args, dir, awsEnv(local.endpoint()));
  /** Through the proxy, with spec3's default retries (8 attempts) instead of the 1 `awsEnv` sets. */
  const proxied = (...args: string[]) => spec3(args, dir, faultEnv());
  const faultEnv = () => ({ ...awsEnv(proxy!.endpoint), SPEC3_MAX_ATTEMPTS: '' });
  const startProxy = async (options: Omit<FaultProxyOptions, 'upstream'>) => {
    proxy = await startFaultProxy({ upstream: local.endpoint(), ...options });
    return proxy;
  };
  const client = <T>(C: new (config: object) => T): T => awsClient(C, local.endpoint());
  const stackStates = async () =>
    Object.fromEntries((await liveStacks(local.endpoint(), `${project}-dev-`)).map((s) => [s.StackName!.replace(`${project}-dev-`, ''), s.StackStatus]));
  const summary = (scenario: string, ok: boolean) =>
    console.info(
      `[faults] ${scenario}: ${Object.values(proxy!.calls()).reduce((a, b) => a + b, 0)} calls, injected ${JSON.stringify(proxy!.totals())} ${JSON.stringify(proxy!.injected())}; end state ${ok ? 'right' : 'WRONG'}; calls ${JSON.stringify(proxy!.calls())}`,
    );

  /** The state a complete `deploy dev` leaves: 8 stacks, the functions, table, bucket and queues. */
  const expectStageDeployed = async () => {
    const states = await stackStates();
    expect(Object.keys(states).sort()).toEqual(['api', 'compute', 'integrations', 'messaging', 'monitoring', 'network', 'security', 'storage']);
    expect(new Set(Object.values(states))).toEqual(new Set(['CREATE_COMPLETE']));
    for (const f of (await readConfig(dir)).functions) {
      const fn = await client(LambdaClient).send(new GetFunctionConfigurationCommand({ FunctionName: `${project}-dev-${f.name}` }));
      expect(fn.Environment?.Variables?.STAGE).toBe('dev');
    }
    const table = await client(DynamoDBClient).send(new DescribeTableCommand({ TableName: `${project}-dev-table` }));
    expect(table.Table?.TableStatus).toBe('ACTIVE');
    const bucket = (await client(SSMClient).send(new GetParameterCommand({ Name: `/spec3/${project}/dev/storage/bucket-name` }))).Parameter?.Value;
    await client(S3Client).send(new HeadBucketCommand({ Bucket: bucket }));
    for (const queue of [`${project}-dev-work`, `${project}-dev-work-dlq`, `${project}-dev-functions-dlq`]) {
      expect((await client(SQSClient).send(new GetQueueUrlCommand({ QueueName: queue }))).QueueUrl).toContain(queue);
    }
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

  it('a: a full deploy under 20 % throttling and 5 % 5xx on every call completes with the same end state', async () => {
    await startProxy({ seed: 20, rates: { throttle: 0.2, error500: 0.025, error503: 0.025 } });
    const r = await proxied('deploy', 'dev', '--yes');
    expect(r.exitCode, r.all).toBe(0);
    await expectStageDeployed();
    summary('a throttling 20 % + 5xx 5 %', true);
    expect(proxy!.totals().throttle).toBeGreaterThan(10);
  });

  it('b: connections dropped while waiting on a stack: polling resumes and the stage ends right', async () => {
    // Past the reads that plan the deploy; more drops in a row than one call's 8 attempts, so the wait itself must resume.
    await startProxy({
      rules: [
        { operation: 'DescribeStacks', kind: 'drop', nth: 12, count: 12 },
        { operation: 'DescribeStackEvents', kind: 'drop', nth: 3, count: 10 },
        { operation: 'DescribeStackEvents', kind: 'drop', nth: 14, count: 3, afterForward: true },
      ],
    });
    const r = await proxied('deploy', 'dev', '--yes');
    expect(r.exitCode, r.all).toBe(0);
    await expectStageDeployed();
    summary('b dropped connections while waiting', true);
    expect(proxy!.totals().drop).toBe(25);
  });

  for (const operation of ['CreateChangeSet', 'ExecuteChangeSet']) {
    it(`c: ${operation} fails (500 on every attempt of the first call): the stack's true state, exit 1; a re-run completes`, async () => {
      // Two attempts per call, two calls under the retry policy: all four of the storage stack's fail; the other stacks' calls go through.
      await startProxy({ rules: [{ operation, kind: '500', match: `StackName=${project}-dev-storage`, count: 4 }] });
      const r = await proxied('deploy', 'dev', '--max-attempts', '2', '--yes');
      expect(r.exitCode, r.all).toBe(1);
      expect(r.stderr).toContain(`${project}-dev-storage: ${operation} failed: InternalFailure: An internal error occurred (after 2 attempts)`);
      expect(proxy!.injected()['500']).toEqual({ [operation]: 4 });
      const states = await stackStates();
      if (operation === 'CreateChangeSet') {
        expect(states.storage).toBeUndefined();
        expect(r.stderr).toContain(`CloudFormation has no stack ${project}-dev-storage: nothing was created.`);
      } else {
        expect(states.storage).toBe('REVIEW_IN_PROGRESS');
        expect(r.stderr).toContain(`CloudFormation reports ${project}-dev-storage as REVIEW_IN_PROGRESS: the change set was not executed`);
      }
      // Nothing of a later phase was started.
      expect(Object.keys(states).filter((s) => ['compute', 'api', 'monitoring', 'integrations'].includes(s))).toEqual([]);
      summary(`c ${operation} 500 x4 (2 attempts x 2 calls)`, true);

      const again = await direct('deploy', 'dev', '--yes');
      expect(again.exitCode, again.all).toBe(0);
      await expectStageDeployed();
    });
  }

  it('c: the answer to ExecuteChangeSet is lost after CloudFormation took it: the retry does not fail the deploy', async () => {
    await startProxy({ rules: [{ operation: 'ExecuteChangeSet', kind: 'drop', nth: 1, afterForward: true }] });
    const r = await proxied('deploy', 'dev', '--yes');
    expect(r.exitCode, r.all).toBe(0);
    await expectStageDeployed();
    summary('c ExecuteChangeSet answer lost', true);
  });

  /** The built binary, started and left running: a test can watch its output and signal it. */
  const start = (args: string[], env: Record<string, string>) => {
    const proc = execa('node', [BIN, ...args], { cwd: dir, reject: false, all: true, env: { CI: '1', NO_COLOR: '1', ...env }, extendEnv: true });
    let stderr = '';
    const waiters: { text: string; resolve: () => void }[] = [];
    proc.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      for (const w of waiters.splice(0)) if (stderr.includes(w.text)) w.resolve();
      else waiters.push(w);
    });
    const seen = (text: string) =>
      new Promise<void>((resolve) => (stderr.includes(text) ? resolve() : waiters.push({ text, resolve })));
    return { proc, seen };
  };
  const lockValue = () =>
    client(SSMClient)
      .send(new GetParameterCommand({ Name: `/spec3/${project}/dev/lock` }))
      .then((o) => o.Parameter?.Value, () => undefined);

  it('d: Ctrl-C in the middle of a phase: no new stack starts, the report says what CloudFormation still does, exit 130; a re-run finishes', async () => {
    // Slow polls keep the phase running long enough to be interrupted in its middle.
    await startProxy({ rates: { slow: 1, only: ['DescribeStacks', 'DescribeStackEvents', 'DescribeChangeSet'] }, slowMs: 400 });
    const { proc, seen } = start(['deploy', 'dev', '--yes'], faultEnv());
    await seen('new stack');
    proc.kill('SIGINT');
    const r = await proc;
    expect(r.exitCode, r.all).toBe(130);
    expect(r.stderr).toMatch(
      /Interrupted; no new stack was started(\. CloudFormation is still working on: .+| and no stack operation is in progress)\..* Run `spec3 deploy dev` to/,
    );
    const started = [...r.stderr.matchAll(new RegExp(`${project}-dev-(\\w+): new stack`, 'g'))].map((m) => m[1]!);
    const states = await stackStates();
    // Only stacks the output says were started exist, and none of a later phase.
    expect(Object.keys(states).every((s) => started.includes(s)), JSON.stringify({ started, states })).toBe(true);
    expect(started.filter((s) => ['compute', 'api', 'monitoring', 'integrations'].includes(s))).toEqual([]);
    expect(await lockValue()).toBeUndefined();
    summary(`d Ctrl-C after ${started.join(', ')} started; states ${JSON.stringify(states)}`, true);

    const again = await direct('deploy', 'dev', '--yes');
    expect(again.exitCode, again.all).toBe(0);
    await expectStageDeployed();
  });

  it('e: two deploys of one stage at once: the second is refused naming the holder, the first completes alone', async () => {
    await startProxy({ rates: { slow: 1, only: ['DescribeStacks', 'DescribeStackEvents'] }, slowMs: 200 });
    const first = start(['deploy', 'dev', '--yes'], faultEnv());
    await first.seen('Phase foundation');
    const second = await direct('deploy', 'dev', '--yes');
    if (second.exitCode !== 1) first.proc.kill('SIGKILL');
    expect(second.exitCode, `${second.all}\n--- first:\n${(await first.proc).all}`).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(`Stage dev is locked by \\S+@${os.hostname()} \\(pid \\d+\\) running \`spec3 deploy dev\` since \\S+ \\(\\d+ s ago\\), which is still running on this machine\\. Nothing was changed\\.`),
    );
    expect(second.stderr).toMatch(/press Ctrl-C in its terminal or run `kill \d+`/);
    expect(second.stderr).not.toContain('new stack');
    const r = await first.proc;
    expect(r.exitCode, r.all).toBe(0);
    await expectStageDeployed();
    expect(await lockValue()).toBeUndefined();
    summary('e concurrent deploy refused', true);
  });

  it('f: a stack left DELETE_FAILED: deploy stops with the named error and the recovery step', async () => {
    const deployed = await direct('deploy', 'dev', '--yes', '--phase', 'foundation');
    expect(deployed.exitCode, deployed.all).toBe(0);
    // Removed behind CloudFormation's back: the local AWS then fails to delete the stack that owns it.
    await client(SSMClient).send(new DeleteParameterCommand({ Name: `/spec3/${project}/dev/messaging/work-queue-url` }));
    const destroyed = await direct('destroy', 'dev', '--force');
    expect(destroyed.exitCode, destroyed.all).toBe(1);
    expect((await stackStates()).messaging).toBe('DELETE_FAILED');

    await startProxy({});
    const r = await proxied('deploy', 'dev', '--yes', '--phase', 'foundation');
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stderr).toContain(`${project}-dev-messaging is DELETE_FAILED`);
    expect(r.stderr).toContain('then finish the delete with `spec3 destroy dev`');
    expect((await stackStates()).messaging).toBe('DELETE_FAILED');
    summary('f DELETE_FAILED refused', true);
  });
  /** Resolves once `check` holds, looked at every 50 ms. */
  const until = async (check: () => boolean) => {
    while (!check()) await new Promise((r) => setTimeout(r, 50));
  };

  it('g: the endpoint refuses every connection for 60 s in the middle of a phase: the deploy resumes and completes', { timeout: 600_000 }, async () => {
    // The third event poll starts the outage: stacks of the first phase are being created, the rest wait.
    await startProxy({ rules: [{ operation: 'DescribeStackEvents', kind: 'outage', nth: 3, seconds: 60 }] });
    const t0 = Date.now();
    const r = await proxied('deploy', 'dev', '--yes');
    const seconds = (Date.now() - t0) / 1000;
    expect(r.exitCode, r.all).toBe(0);
    expect(proxy!.injected().outage).toEqual({ DescribeStackEvents: 1 });
    await expectStageDeployed();
    expect(await lockValue()).toBeUndefined();
    summary(`g 60 s outage mid-phase, deploy took ${seconds.toFixed(1)} s`, true);
  });

  it('h: a call never answered: timed out and retried, then a failure naming the state of each stack; the lock is released', async () => {
    // Every event poll is held for ever; a 1 s call timeout and 2 attempts make the retries quick.
    await startProxy({ rules: [{ operation: 'DescribeStackEvents', kind: 'hold', count: Infinity }] });
    const r = await spec3(['deploy', 'dev', '--phase', 'foundation', '--max-attempts', '2', '--yes'], dir, { ...faultEnv(), SPEC3_CALL_TIMEOUT: '1' });
    expect(r.exitCode, r.all).toBe(1);
    const states = await stackStates();
    expect(Object.keys(states).length).toBeGreaterThan(0);
    // Each stack whose wait failed is named with the state CloudFormation reports, read again after the failure.
    for (const [stack, state] of Object.entries(states)) {
      expect(r.stderr, r.all).toContain(
        `${project}-dev-${stack}: waiting for the change set to run failed: TimeoutError: no answer within 1 s (after 2 attempts)\n  CloudFormation reports ${project}-dev-${stack} as ${state}: its change set was executed`,
      );
    }
    expect(r.stderr).toContain('SPEC3_CALL_TIMEOUT=120');
    expect(r.stderr).toContain('was executed before the failure');
    expect(r.stderr).not.toContain('Stacks that were already deployed are intact');
    expect(r.stderr).not.toMatch(/bug in spec3|^\s+at /m);
    // Two attempts of each of two calls per stack, each cut off by the timeout.
    expect(proxy!.held()).toBe(4 * Object.keys(states).length);
    expect(await lockValue()).toBeUndefined();
    summary(`h held DescribeStackEvents; states ${JSON.stringify(states)}`, true);
  });

  it('i: Ctrl-C while a call hangs: the call is cancelled and the run ends at once with 130, the lock released', async () => {
    // The default 60 s call timeout: without the interruption reaching the call, the run would wait that long.
    await startProxy({ rules: [{ operation: 'DescribeStackEvents', kind: 'hold', count: Infinity }] });
    const { proc } = start(['deploy', 'dev', '--yes', '--phase', 'foundation'], faultEnv());
    await until(() => proxy!.held() > 0);
    const t0 = Date.now();
    proc.kill('SIGINT');
    const r = await proc;
    const ms = Date.now() - t0;
    expect(r.exitCode, r.all).toBe(130);
    expect(r.stderr).toContain('Interrupted; no new stack was started');
    // A bound an order of magnitude below the held call's 60 s timeout: the call was cancelled, not waited out.
    expect(ms, r.all).toBeLessThan(5_000);
    expect(await lockValue()).toBeUndefined();
    summary(`i Ctrl-C during a held call: ended ${ms} ms after SIGINT`, true);
  });
});
