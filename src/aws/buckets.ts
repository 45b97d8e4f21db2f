import { DeleteObjectsCommand, ListObjectVersionsCommand, type ObjectIdentifier } from '@aws-sdk/client-s3';
import { AbortError, Spec3Error } from '../errors.js';
import type { AwsClients } from './clients.js';
import { awsErrorName, describeAwsError } from './errors.js';

/**
 * Deletes every object version and delete marker of a bucket, so CloudFormation can delete the
 * bucket itself. Each listing page (at most 1000 versions and markers together, also the limit of
 * DeleteObjects) is deleted before the next is listed. The next listing starts from the beginning
 * again rather than from a marker: what was just deleted is gone, and paging never depends on a
 * marker entry that no longer exists (which some emulators cannot page from). A bucket that is
 * already gone counts as empty. An aborted `signal` stops it between pages. Returns how many
 * versions and markers were deleted.
 */
export async function emptyBucket(aws: AwsClients, bucket: string, signal?: AbortSignal): Promise<number> {
  const s3 = await aws.s3();
  let deleted = 0;
  let previous = new Set<string>();
  for (;;) {
    if (signal?.aborted) throw new AbortError();
    let page;
    try {
      page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }));
    } catch (error) {
      if (awsErrorName(error) === 'NoSuchBucket') return deleted;
      throw failed(bucket, error);
    }
    const objects: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key!,
      ...(v.VersionId ? { VersionId: v.VersionId } : {}),
    }));
    if (objects.length === 0) return deleted;
    const ids = new Set(objects.map((o) => `${o.Key}\u0000${o.VersionId ?? ''}`));
    const again = [...ids].find((id) => previous.has(id));
    if (again) {
      throw new Spec3Error(
        'BUCKET_NOT_EMPTIED',
        `Could not empty bucket ${bucket}: ${again.split('\u0000')[0]} is still listed after it was deleted.`,
        'Check the bucket for object lock or a lifecycle/replication rule that keeps versions, then run `spec3 destroy` again.',
      );
    }
    let out;
    try {
      out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    } catch (error) {
      throw failed(bucket, error);
    }
    const first = out.Errors?.[0];
    if (first) {
      throw new Spec3Error(
        'BUCKET_NOT_EMPTIED',
        `Could not empty bucket ${bucket}: ${out.Errors!.length} object(s) not deleted, e.g. ${first.Key} (${first.Code}: ${first.Message}).`,
        'Check the bucket policy, object lock and your permissions (s3:DeleteObjectVersion), then run `spec3 destroy` again.',
      );
    }
    deleted += objects.length;
    if (!page.IsTruncated) return deleted;
    previous = ids;
  }
}

function failed(bucket: string, error: unknown): Spec3Error {
  return new Spec3Error(
    'BUCKET_NOT_EMPTIED',
    `Could not empty bucket ${bucket}: ${describeAwsError(error)}`,
    'Check your permissions on the bucket (s3:ListBucketVersions, s3:DeleteObjectVersion), then run `spec3 destroy` again.',
    { cause: error },
  );
}
