import {
  DeleteObjectsCommand,
  GetBucketPolicyCommand,
  GetObjectLockConfigurationCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  type ObjectIdentifier,
} from '@aws-sdk/client-s3';
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
 * versions and markers were deleted; `onDeleted` hears the running count after each page, so an
 * interrupted emptying can say how far it got.
 */
export async function emptyBucket(
  aws: AwsClients,
  bucket: string,
  signal?: AbortSignal,
  onDeleted?: (count: number) => void,
  /** The destroy command for the run's target (see spec3Command), named in the hints. */
  destroy = 'spec3 destroy',
): Promise<number> {
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
      throw failed(bucket, error, destroy);
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
        `Check the bucket for object lock or a lifecycle/replication rule that keeps versions, then run \`${destroy}\` again.`,
      );
    }
    let out;
    try {
      out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    } catch (error) {
      throw failed(bucket, error, destroy);
    }
    const first = out.Errors?.[0];
    if (first) {
      throw new Spec3Error(
        'BUCKET_NOT_EMPTIED',
        `Could not empty bucket ${bucket}: ${out.Errors!.length} object(s) not deleted, e.g. ${first.Key} (${first.Code}: ${first.Message}).`,
        `Check the bucket policy, object lock and your permissions (s3:DeleteObjectVersion), then run \`${destroy}\` again.`,
      );
    }
    deleted += objects.length;
    onDeleted?.(deleted);
    if (!page.IsTruncated) return deleted;
    previous = ids;
  }
}

function failed(bucket: string, error: unknown, destroy: string): Spec3Error {
  return new Spec3Error(
    'BUCKET_NOT_EMPTIED',
    `Could not empty bucket ${bucket}: ${describeAwsError(error)}`,
    `Check your permissions on the bucket (s3:ListBucketVersions, s3:DeleteObjectVersion), then run \`${destroy}\` again.`,
    { cause: error },
  );
}

/** What would stop a bucket from being emptied, and how much it holds. */
export interface BucketState {
  /** False when the bucket is already gone. */
  readonly exists: boolean;
  /** Object versions and delete markers, counted up to `VERSION_COUNT_LIMIT`. */
  readonly versions: number;
  /** True when there are more versions than were counted. */
  readonly moreVersions: boolean;
  /** Object lock is on: locked versions cannot be deleted before their retention ends. */
  readonly objectLock: boolean;
  /** A statement of the bucket policy that denies deleting objects, if any. */
  readonly denyDeletes?: string;
}

/** Counting stops here (ten listing pages): enough to say how much data is at stake, and cheap. */
export const VERSION_COUNT_LIMIT = 10_000;

/** Object lock, a policy that denies deletes, and a version count: read before anything is deleted. */
export async function bucketState(aws: AwsClients, bucket: string): Promise<BucketState> {
  const s3 = await aws.s3();
  let versions = 0;
  let more = false;
  let key: string | undefined;
  let version: string | undefined;
  try {
    for (;;) {
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000, KeyMarker: key, VersionIdMarker: version }));
      versions += (page.Versions?.length ?? 0) + (page.DeleteMarkers?.length ?? 0);
      if (!page.IsTruncated) break;
      if (versions >= VERSION_COUNT_LIMIT) {
        more = true;
        break;
      }
      key = page.NextKeyMarker;
      version = page.NextVersionIdMarker;
    }
  } catch (error) {
    if (awsErrorName(error) === 'NoSuchBucket') return { exists: false, versions: 0, moreVersions: false, objectLock: false };
    throw checkFailed(bucket, 'ListObjectVersions', error);
  }
  let objectLock = false;
  try {
    const lock = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    objectLock = lock.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled';
  } catch (error) {
    if (awsErrorName(error) !== 'ObjectLockConfigurationNotFoundError') throw checkFailed(bucket, 'GetObjectLockConfiguration', error);
  }
  let denyDeletes: string | undefined;
  try {
    const policy = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    denyDeletes = policy.Policy ? deletesDenied(policy.Policy) : undefined;
  } catch (error) {
    if (awsErrorName(error) !== 'NoSuchBucketPolicy') throw checkFailed(bucket, 'GetBucketPolicy', error);
  }
  return { exists: true, versions, moreVersions: more, objectLock, ...(denyDeletes ? { denyDeletes } : {}) };
}

const DELETE_ACTIONS = ['s3:DeleteObject', 's3:DeleteObjectVersion'];

/**
 * The first statement of a bucket policy that denies everyone deleting objects: Effect Deny,
 * principal `*`, an action covering s3:DeleteObject or s3:DeleteObjectVersion (wildcards as IAM
 * reads them), and no condition. A statement with a condition (the TLS-only deny, say) is not
 * counted: whether it applies depends on the request, and a deny that does apply still stops the
 * emptying with a named error.
 */
export function deletesDenied(policyText: string): string | undefined {
  let policy: { Statement?: unknown };
  try {
    policy = JSON.parse(policyText) as { Statement?: unknown };
  } catch {
    return undefined;
  }
  const statements = (Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement]) as Record<string, unknown>[];
  for (const [i, st] of statements.entries()) {
    if (!st || st.Effect !== 'Deny' || st.Condition !== undefined) continue;
    const principal = st.Principal as string | { AWS?: string | string[] } | undefined;
    const everyone = principal === '*' || [principal && typeof principal === 'object' ? principal.AWS : undefined].flat().includes('*');
    if (!everyone) continue;
    const actions = [st.Action].flat().filter((a): a is string => typeof a === 'string');
    const covers = (pattern: string) => {
      const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
      return DELETE_ACTIONS.some((a) => re.test(a));
    };
    if (actions.some(covers)) return typeof st.Sid === 'string' && st.Sid ? `statement "${st.Sid}"` : `statement ${i + 1}`;
  }
  return undefined;
}

function checkFailed(bucket: string, operation: string, error: unknown): Spec3Error {
  return new Spec3Error(
    'BUCKET_CHECK_FAILED',
    `Could not check bucket ${bucket} before emptying it (${operation}): ${describeAwsError(error)}. Nothing was changed.`,
    `Check your permissions on the bucket with \`aws s3api get-bucket-policy --bucket ${bucket}\`, then run the destroy again.`,
    { cause: error },
  );
}

/** Whether a bucket still exists (HeadBucket; 404 is gone, 403 exists but is not ours to read). */
export async function bucketExists(aws: AwsClients, bucket: string): Promise<boolean> {
  try {
    await (await aws.s3()).send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw checkFailed(bucket, 'HeadBucket', error);
  }
}
