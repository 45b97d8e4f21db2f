import { DeleteObjectsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import { emptyBucket } from '../../../src/aws/buckets.js';
import { AwsClients } from '../../../src/aws/clients.js';
import { spec3Command } from '../../../src/commands/rerun.js';
import { Spec3Error } from '../../../src/errors.js';
import { fakeAws, resetMocks, s3Mock } from './fake-aws.js';

const aws = new AwsClients({ region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

beforeEach(() => resetMocks());

describe('emptyBucket', () => {
  it('deletes versions and delete markers in batches of at most 1000', async () => {
    const world = fakeAws([]);
    world.buckets.set('b', Array.from({ length: 2001 }, (_, i) => `k${String(i).padStart(4, '0')}@v${i % 2 ? '1' : '1!'}`));
    expect(await emptyBucket(aws, 'b')).toBe(2001);
    expect(world.buckets.get('b')).toEqual([]);
    expect(s3Mock.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete!.Objects!.length)).toEqual([1000, 1000, 1]);
  });

  it('deletes the "null" version of objects written before versioning', async () => {
    const world = fakeAws([]);
    world.buckets.set('b', ['old@null', 'new@3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY']);
    expect(await emptyBucket(aws, 'b')).toBe(2);
    expect(s3Mock.commandCalls(DeleteObjectsCommand)[0]!.args[0].input.Delete!.Objects).toEqual([
      { Key: 'new', VersionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY' },
      { Key: 'old', VersionId: 'null' },
    ]);
  });

  it('treats a bucket that is already gone as empty', async () => {
    fakeAws([]);
    expect(await emptyBucket(aws, 'gone')).toBe(0);
    expect(s3Mock.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
  });

  it('fails with the first per-object error DeleteObjects reports', async () => {
    fakeAws([]);
    s3Mock.on(ListObjectVersionsCommand).resolves({ IsTruncated: false, Versions: [{ Key: 'locked', VersionId: 'v1', IsLatest: true }] });
    s3Mock.on(DeleteObjectsCommand).resolves({
      Errors: [{ Key: 'locked', VersionId: 'v1', Code: 'AccessDenied', Message: 'Access Denied because object protected by object lock.' }],
    });
    const destroy = spec3Command({ env: {}, aws: { local: true } }, 'destroy', 'dev');
    const error = (await emptyBucket(aws, 'b', undefined, undefined, destroy).catch((e: unknown) => e)) as Spec3Error;
    expect(error.code).toBe('BUCKET_NOT_EMPTIED');
    expect(error.message).toBe('Could not empty bucket b: 1 object(s) not deleted, e.g. locked (AccessDenied: Access Denied because object protected by object lock.).');
    expect(error.hint).toBe('Check the bucket policy, object lock and your permissions (s3:DeleteObjectVersion), then run `spec3 destroy dev --local` again.');
  });

  it('stops instead of looping when deleted versions keep being listed', async () => {
    fakeAws([]);
    s3Mock.on(ListObjectVersionsCommand).resolves({ IsTruncated: true, Versions: [{ Key: 'stuck', VersionId: 'v1', IsLatest: true }] });
    s3Mock.on(DeleteObjectsCommand).resolves({ Deleted: [{ Key: 'stuck', VersionId: 'v1' }] });
    const error = (await emptyBucket(aws, 'b').catch((e: unknown) => e)) as Spec3Error;
    expect(error.code).toBe('BUCKET_NOT_EMPTIED');
    expect(error.message).toContain('stuck is still listed after it was deleted');
    expect(s3Mock.commandCalls(DeleteObjectsCommand)).toHaveLength(1);
  });
});
