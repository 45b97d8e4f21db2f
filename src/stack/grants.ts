import type { AccessGrant } from '../config/schema.js';
import type { ResolvedFunction } from '../config/resolve.js';

/**
 * What a function may touch: what the config grants, plus what its triggers imply (a queue
 * consumer must receive and delete, an S3-triggered function must read the object).
 */
export function grantsOf(fn: ResolvedFunction): ReadonlySet<AccessGrant> {
  const grants = new Set<AccessGrant>(fn.access);
  for (const trigger of fn.triggers) {
    if (trigger.type === 'queue') grants.add('queue:consume');
    if (trigger.type === 's3') grants.add('bucket:read');
  }
  return grants;
}

/** IAM actions a set of grants needs on the table, the bucket, its objects and the stage key. */
export interface DataAccess {
  readonly table: readonly string[];
  readonly bucket: readonly string[];
  readonly objects: readonly string[];
  readonly key: readonly string[];
}

// Exact action names, never the `s3:GetObject*` / `kms:GenerateDataKey*` families aws-cdk-lib's
// grant helpers use: each family also holds actions no function needs (object ACLs, legal holds,
// re-encryption), and a wildcard hides what a role can do from its reader.
const TABLE_READ = ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'];
const TABLE_WRITE = ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
const BUCKET_READ = ['s3:GetBucketLocation', 's3:ListBucket'];
const OBJECT_READ = ['s3:GetObject', 's3:GetObjectVersion'];
const OBJECT_WRITE = ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:PutObject'];
// Table, bucket and topic are encrypted with the stage key: reading needs Decrypt, writing needs
// a data key (S3, SNS) or Encrypt (DynamoDB); DescribeKey lets DynamoDB check the key's state.
const KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_WRITE = ['kms:Encrypt', 'kms:GenerateDataKey'];

/** The data-plane actions of a function's grants (queue grants need no key: SQS-managed encryption). */
export function dataAccessOf(grants: ReadonlySet<AccessGrant>): DataAccess {
  const table = new Set<string>();
  const bucket = new Set<string>();
  const objects = new Set<string>();
  const key = new Set<string>();
  const add = (to: Set<string>, actions: readonly string[]) => actions.forEach((a) => to.add(a));
  for (const grant of grants) {
    switch (grant) {
      case 'table:readwrite':
        add(table, TABLE_WRITE);
        add(key, KEY_WRITE);
      // falls through: writing includes reading
      case 'table:read':
        add(table, TABLE_READ);
        add(key, KEY_READ);
        break;
      case 'bucket:readwrite':
        add(objects, OBJECT_WRITE);
        add(key, KEY_WRITE);
      // falls through
      case 'bucket:read':
        add(bucket, BUCKET_READ);
        add(objects, OBJECT_READ);
        add(key, KEY_READ);
        break;
      case 'topic:publish':
        add(key, ['kms:Decrypt', 'kms:GenerateDataKey']);
        break;
      case 'queue:send':
      case 'queue:consume':
        break;
    }
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return { table: sorted(table), bucket: sorted(bucket), objects: sorted(objects), key: sorted(key) };
}
