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
import { acquireStageLock, withStageLock } from '../../src/aws/lock.js';
import type { Spec3Error } from '../../src/errors.js';

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
    expect(JSON.parse(put.Value!)).toEqual({ holder: 'alice@build-1', pid: 4242, command: 'spec3 deploy dev', startedAt: '2026-11-22T10:00:00.000Z' });

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
    expect(error.hint).toContain(`aws ssm delete-parameter --name ${NAME}`);
    expect(ssm.commandCalls(DeleteParameterCommand)).toHaveLength(0);
  });

  it('stale (older than 2 h): reported with the command to clear it, not taken over', async () => {
    ssm.on(PutParameterCommand).rejects(exists());
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: other('2026-11-22T06:30:00.000Z') } });
    const error = (await acquireStageLock(aws, options).catch((e: unknown) => e)) as Spec3Error;
    expect(error.code).toBe('STAGE_LOCK_STALE');
    expect(error.message).toContain('locked by bob@laptop (pid 77) running `spec3 destroy dev` since 2026-11-22T06:30:00.000Z (3 h 30 min ago)');
    expect(error.message).toContain('the lock looks stale');
    expect(error.hint).toContain(`clear the lock with \`aws ssm delete-parameter --name ${NAME}\``);
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
    await expect(withStageLock(aws, options, () => undefined, () => Promise.reject(failure))).rejects.toBe(failure);
    expect(ssm.commandCalls(DeleteParameterCommand)).toHaveLength(1);
  });

  it('a release that fails is reported beside the outcome, with the command to clear the lock', async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    ssm.on(GetParameterCommand).callsFake(() => ({ Parameter: { Name: NAME, Value: written() } }));
    ssm.on(DeleteParameterCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    const reported: Spec3Error[] = [];
    expect(await withStageLock(aws, options, (e) => reported.push(e), async () => 'done')).toBe('done');
    expect(reported[0]).toMatchObject({ code: 'STAGE_LOCK_FAILED', hint: expect.stringContaining(`aws ssm delete-parameter --name ${NAME}`) });
  });

  it('leaves alone a lock that is no longer its own (cleared by hand and taken by another run)', async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    const lock = await acquireStageLock(aws, options);
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: other('2026-11-22T10:30:00.000Z') } });
    await lock.release();
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    await lock.release();
    expect(ssm.commandCalls(DeleteParameterCommand)).toHaveLength(0);
  });
});
