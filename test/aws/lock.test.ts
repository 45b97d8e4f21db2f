import {
  DeleteParameterCommand,
  GetParameterCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients.js';
import { acquireStageLock, readStageLock, removeStageLock, withStageLock } from '../../src/aws/lock.js';
import type { Spec3Error } from '../../src/errors.js';
import { TestIo } from '../helpers/io.js';

// Errors and responses shaped as SSM returns them (PutParameter without Overwrite on an existing name: ParameterAlreadyExists).
const ssm = mockClient(SSMClient);
const aws = new AwsClients({ region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const now = new Date('2026-11-22T10:00:00Z');
const options = {
  project: 'demo',
  stage: 'dev',
  command: 'deploy',
  arn: 'arn:aws:sts::123456789012:assumed-role/Deployer/alice',
  host: 'build-1',
  pid: 4242,
  now: () => now,
  unlockCommand: 'spec3 unlock dev --local',
  // Every pid counts as running unless a test says otherwise.
  isAlive: () => true,
};
const NAME = '/spec3/demo/dev/lock';
const exists = () => new ParameterAlreadyExists({ message: 'The parameter already exists.', $metadata: {} });
const other = (startedAt: string) =>
  JSON.stringify({ holder: 'bob@laptop', pid: 77, command: 'spec3 destroy dev', startedAt });
/** The value this process writes, read back from the PutParameter call. */
const written = () => ssm.commandCalls(PutParameterCommand)[0]!.args[0].input.Value!;

beforeEach(() => {
  ssm.reset();
  ssm.on(DeleteParameterCommand).resolves({});
});

describe('stage lock', () => {
  it('is taken by creating the parameter without Overwrite, and released by deleting it', async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    const lock = await acquireStageLock(aws, options);
    const put = ssm.commandCalls(PutParameterCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ Name: NAME, Type: 'String', Overwrite: false });
    expect(JSON.parse(put.Value!)).toEqual({ holder: 'alice@build-1', host: 'build-1', pid: 4242, command: 'spec3 deploy dev', startedAt: '2026-11-22T10:00:00.000Z' });

    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: put.Value } });
    await lock.release();
    expect(ssm.commandCalls(DeleteParameterCommand)[0]!.args[0].input).toEqual({ Name: NAME });
  });

  it('held by another run: refused naming the holder, its command and since when; nothing deleted', async () => {
    ssm.on(PutParameterCommand).rejects(exists());
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: other('2026-11-22T09:48:00.000Z') } });
    const error = (await acquireStageLock(aws, options).catch((e: unknown) => e)) as Spec3Error;
    expect(error.code).toBe('STAGE_LOCKED');
    expect(error.message).toBe(
      'Stage dev is locked by bob@laptop (pid 77) running `spec3 destroy dev` since 2026-11-22T09:48:00.000Z (12 min ago). Nothing was changed.',
    );
    expect(error.hint).toBe(
      'Wait for that run to finish, then run the command again. If that run is no longer going (killed, machine gone), clear the lock with `spec3 unlock dev --local` in a terminal (it asks for the stage name), or `spec3 unlock dev --local --force` without one.',
    );
    expect(ssm.commandCalls(DeleteParameterCommand)).toHaveLength(0);
  });

  it('records the CI run that takes it, when the environment names one', async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    await acquireStageLock(aws, { ...options, env: { CI: 'true', GITHUB_RUN_ID: '987654' } });
    expect(JSON.parse(written())).toMatchObject({ ci: 'GITHUB_RUN_ID=987654', host: 'build-1', pid: 4242 });
  });

  it('held by a process of this machine that is gone: reported as abandoned with the unlock command, never taken over', async () => {
    ssm.on(PutParameterCommand).rejects(exists());
    const held = JSON.stringify({ holder: 'alice@build-1', host: 'build-1', pid: 77, command: 'spec3 deploy dev', startedAt: '2026-11-22T09:58:00.000Z' });
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: held } });
    const checked: number[] = [];
    const error = (await acquireStageLock(aws, { ...options, isAlive: (pid) => (checked.push(pid), false) }).catch((e: unknown) => e)) as Spec3Error;
    expect(checked).toEqual([77]);
    expect(error.code).toBe('STAGE_LOCK_ABANDONED');
    expect(error.message).toBe(
      'Stage dev is locked by alice@build-1 (pid 77) running `spec3 deploy dev` since 2026-11-22T09:58:00.000Z (2 min ago), but process 77 is no longer running on this machine: the lock was abandoned by a run that was killed (/spec3/demo/dev/lock). Nothing was changed.',
    );
    expect(error.hint).toBe('Clear it with `spec3 unlock dev --local --force`, then run the command again.');
    expect(ssm.commandCalls(PutParameterCommand)[0]!.args[0].input.Overwrite).toBe(false);
    expect(ssm.commandCalls(DeleteParameterCommand)).toHaveLength(0);
  });

  it('held by a live process of this machine: refused, saying it still runs and how to stop it; no unlock offered', async () => {
    ssm.on(PutParameterCommand).rejects(exists());
    const held = JSON.stringify({ holder: 'alice@build-1', host: 'build-1', pid: 77, command: 'spec3 deploy dev', startedAt: '2026-11-22T09:58:00.000Z' });
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: held } });
    const error = (await acquireStageLock(aws, options).catch((e: unknown) => e)) as Spec3Error;
    expect(error.code).toBe('STAGE_LOCKED');
    expect(error.message).toContain('which is still running on this machine');
    expect(error.hint).toContain('`kill 77`');
    expect(error.hint).not.toContain('unlock');
  });

  it('a lock of another machine is not checked by pid: its pid may belong to anything here', async () => {
    ssm.on(PutParameterCommand).rejects(exists());
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: other('2026-11-22T09:48:00.000Z') } });
    const checked: number[] = [];
    const error = (await acquireStageLock(aws, { ...options, isAlive: (pid) => (checked.push(pid), false) }).catch((e: unknown) => e)) as Spec3Error;
    expect(checked).toEqual([]);
    expect(error.code).toBe('STAGE_LOCKED');
  });

  it('stale (older than 2 h): reported with the command to clear it, not taken over', async () => {
    ssm.on(PutParameterCommand).rejects(exists());
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: other('2026-11-22T06:30:00.000Z') } });
    const error = (await acquireStageLock(aws, options).catch((e: unknown) => e)) as Spec3Error;
    expect(error.code).toBe('STAGE_LOCK_STALE');
    expect(error.message).toContain('locked by bob@laptop (pid 77) running `spec3 destroy dev` since 2026-11-22T06:30:00.000Z (3 h 30 min ago)');
    expect(error.message).toContain('the lock looks stale');
    expect(error.hint).toContain('clear the lock with `spec3 unlock dev --local` in a terminal');
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(1);
    expect(ssm.commandCalls(PutParameterCommand)[0]!.args[0].input.Overwrite).toBe(false);
    expect(ssm.commandCalls(DeleteParameterCommand)).toHaveLength(0);
  });

  it('a lock that is our own (the answer to PutParameter was lost and the SDK retried) is taken', async () => {
    let value = '';
    ssm.on(PutParameterCommand).callsFake((input: { Value: string }) => {
      value = input.Value;
      throw exists();
    });
    ssm.on(GetParameterCommand).callsFake(() => ({ Parameter: { Name: NAME, Value: value } }));
    const lock = await acquireStageLock(aws, options);
    expect(lock.holder.holder).toBe('alice@build-1');
  });

  it('released when the work fails, and the failure is what is thrown', async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    ssm.on(GetParameterCommand).callsFake(() => ({ Parameter: { Name: NAME, Value: written() } }));
    const failure = new Error('stack failed');
    const io = new TestIo();
    await expect(withStageLock(aws, options, io, () => Promise.reject(failure))).rejects.toBe(failure);
    expect(ssm.commandCalls(DeleteParameterCommand)).toHaveLength(1);
    expect(io.events.map((e) => e.code)).toEqual(['STAGE_LOCK_TAKEN', 'STAGE_LOCK_RELEASED']);
  });

  for (const [step, fail] of [
    ['reading it back', () => ssm.on(GetParameterCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }))],
    ['deleting it', () => ssm.on(DeleteParameterCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }))],
  ] as const) {
    it(`a release that fails (${step}) says the lock is still held and how to clear it, beside the outcome`, async () => {
      ssm.on(PutParameterCommand).resolves({ Version: 1 });
      ssm.on(GetParameterCommand).callsFake(() => ({ Parameter: { Name: NAME, Value: written() } }));
      fail();
      const io = new TestIo();
      expect(await withStageLock(aws, options, io, async () => 'done')).toBe('done');
      const reported = io.events.find((e) => e.code === 'STAGE_LOCK_NOT_RELEASED')!;
      expect(reported.message).toBe(
        'Stage dev is still locked: releasing its lock /spec3/demo/dev/lock failed (TimeoutError: socket hang up).\n  Once this run has ended, clear the lock with `spec3 unlock dev --local --force`; until then every deploy or destroy of stage dev is refused.',
      );
      expect(io.events.map((e) => e.code)).not.toContain('STAGE_LOCK_RELEASED');
    });
  }

  it('leaves alone a lock that is no longer its own (cleared by hand and taken by another run)', async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    const lock = await acquireStageLock(aws, options);
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: other('2026-11-22T10:30:00.000Z') } });
    await lock.release();
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    await lock.release();
    expect(ssm.commandCalls(DeleteParameterCommand)).toHaveLength(0);
  });

  it('read by status and unlock with its holder state; removed only while it is still the lock that was read', async () => {
    const held = JSON.stringify({ holder: 'alice@build-1', pid: 77, command: 'spec3 deploy dev', startedAt: '2026-11-22T09:58:00.000Z' });
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: held } });
    // An older lock without `host`: the machine is read from `holder`.
    const lock = (await readStageLock(aws, NAME, { host: 'build-1', isAlive: () => false }))!;
    expect(lock).toMatchObject({ state: 'gone', holder: { host: 'build-1', pid: 77 } });
    expect(await removeStageLock(aws, lock)).toBe(true);
    expect(ssm.commandCalls(DeleteParameterCommand)).toHaveLength(1);

    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: other('2026-11-22T10:00:00.000Z') } });
    expect(await removeStageLock(aws, lock)).toBe(false);
    expect(ssm.commandCalls(DeleteParameterCommand)).toHaveLength(1);
  });
});

describe('stage lock: errors the AWS error boundary named', () => {
  // SDK errors as SSM and Node return them; the clients factory turns them into AwsCallError.
  const sdkError = (name: string, message: string, httpStatusCode: number) =>
    Object.assign(new Error(message), { name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode, requestId: 'req-1', attempts: 1 } });

  it('expired credentials while taking it keep their code and refresh hint, not a permission to add', async () => {
    ssm.on(PutParameterCommand).rejects(sdkError('ExpiredTokenException', 'The security token included in the request is expired', 400));
    const error = (await acquireStageLock(aws, options).catch((e: unknown) => e)) as Spec3Error;
    expect(error.code).toBe('AWS_CREDENTIALS_EXPIRED');
    expect(error.message).toContain('SSM PutParameter');
    expect(error.hint).toContain('aws sso login');
    expect(error.hint).not.toContain('ssm:PutParameter');
  });

  it('an unreachable endpoint while reading it stays AWS_UNREACHABLE', async () => {
    ssm.on(PutParameterCommand).rejects(exists());
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED', $metadata: { attempts: 1 } }));
    const error = (await acquireStageLock(aws, options).catch((e: unknown) => e)) as Spec3Error;
    expect(error.code).toBe('AWS_UNREACHABLE');
    expect(error.hint).not.toContain('ssm:');
  });

  it('access denied on the lock parameter names the permission SSM refused, on that parameter', async () => {
    const arn = `arn:aws:ssm:us-east-1:123456789012:parameter${NAME}`;
    ssm.on(PutParameterCommand).rejects(
      sdkError('AccessDeniedException', `User: arn:aws:sts::123456789012:assumed-role/Deployer/alice is not authorized to perform: ssm:PutParameter on resource: ${arn} because no identity-based policy allows the ssm:PutParameter action`, 400),
    );
    const error = (await acquireStageLock(aws, options).catch((e: unknown) => e)) as Spec3Error;
    expect(error.code).toBe('AWS_ACCESS_DENIED');
    expect(error.hint).toContain(`ssm:PutParameter on ${arn}`);
  });
});
