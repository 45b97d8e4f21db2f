import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { connectStageWith } from '../../src/aws/connect.js';
import { TestIo } from '../helpers/io.js';

const sts = mockClient(STSClient);
afterEach(() => sts.reset());

const stage = { name: 'dev', account: '123456789012', region: 'us-east-1' };
const env = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' };
const identity = (account: string) => ({ Account: account, Arn: `arn:aws:iam::${account}:user/ci`, UserId: 'AIDAEXAMPLE' });

describe('connectStageWith', () => {
  it('returns the reads once the account is confirmed', async () => {
    sts.on(GetCallerIdentityCommand).resolves(identity('123456789012'));
    const { connection, reads } = await connectStageWith(stage, {}, { env, io: new TestIo() }, async () => 42);
    expect(reads).toBe(42);
    expect(connection.identity.account).toBe('123456789012');
  });

  it('reports a wrong account, not the failure of the reads that ran beside the check', async () => {
    sts.on(GetCallerIdentityCommand).resolves(identity('999999999999'));
    const reads = async () => {
      throw new Error('AccessDenied on the bootstrap parameter');
    };
    await expect(connectStageWith(stage, {}, { env, io: new TestIo() }, reads)).rejects.toMatchObject({
      code: 'WRONG_ACCOUNT',
      message: expect.stringContaining('999999999999'),
    });
  });

  it('passes on the failure of the reads when the account is right', async () => {
    sts.on(GetCallerIdentityCommand).resolves(identity('123456789012'));
    const reads = async () => {
      throw new Error('bootstrap missing');
    };
    await expect(connectStageWith(stage, {}, { env, io: new TestIo() }, reads)).rejects.toThrow('bootstrap missing');
  });
});
