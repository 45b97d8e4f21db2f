import { ACCESS_GRANTS, type AccessGrant } from '../config/schema.js';
import type { ResolvedFunction } from '../config/resolve.js';

/**
 * What a function may touch: what the config grants, plus what its triggers imply (a queue
 * consumer must receive and delete, an S3-triggered function must read the object).
 */
export function grantsOf(fn: ResolvedFunction): ReadonlySet<AccessGrant> {
  const grants = new Set<AccessGrant>(fn.access.filter((a): a is AccessGrant => (ACCESS_GRANTS as readonly string[]).includes(a)));
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

/** A function's grants on named extension resources (`audit-table:readwrite`), in config order. */
export function extensionGrantsOf(fn: ResolvedFunction): { readonly resource: string; readonly mode: 'read' | 'write' | 'readwrite' }[] {
  return fn.access
    .filter((a) => !(ACCESS_GRANTS as readonly string[]).includes(a))
    .map((a) => {
      const [resource, mode] = a.split(':') as [string, 'read' | 'write' | 'readwrite'];
      return { resource, mode };
    });
}

interface ExtensionActions {
  readonly read: readonly string[];
  readonly write: readonly string[];
  /** Resources the actions apply to, from the resource's ARN (default: the ARN itself). */
  readonly on?: (arn: string, mode: 'read' | 'write' | 'readwrite') => string[];
}

/**
 * What read and write mean per type of extension resource, in exact action names like spec3's
 * own grants. A type missing here cannot be named in `access` (grant in spec3.extend.ts instead).
 */
export const EXTENSION_ACTIONS: Readonly<Record<string, ExtensionActions>> = {
  'AWS::DynamoDB::Table': { read: TABLE_READ, write: TABLE_WRITE },
  'AWS::S3::Bucket': { read: [...BUCKET_READ, ...OBJECT_READ], write: OBJECT_WRITE, on: (arn) => [arn, `${arn}/*`] },
  'AWS::SQS::Queue': { read: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], write: ['sqs:GetQueueAttributes', 'sqs:SendMessage'] },
  'AWS::SNS::Topic': { read: ['sns:GetTopicAttributes'], write: ['sns:Publish'] },
  'AWS::Kinesis::Stream': { read: ['kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'], write: ['kinesis:PutRecord', 'kinesis:PutRecords'] },
  'AWS::StepFunctions::StateMachine': { read: ['states:DescribeStateMachine', 'states:ListExecutions'], write: ['states:StartExecution'] },
  'AWS::Events::EventBus': { read: ['events:DescribeEventBus'], write: ['events:PutEvents'] },
  'AWS::Lambda::Function': { read: ['lambda:GetFunctionConfiguration'], write: ['lambda:InvokeFunction'] },
};

/** The actions of a grant on an extension resource of `type`; undefined for a type access cannot name. */
export function extensionActionsOf(type: string, mode: 'read' | 'write' | 'readwrite'): readonly string[] | undefined {
  const actions = EXTENSION_ACTIONS[type];
  if (!actions) return undefined;
  return [...new Set([...(mode === 'write' ? [] : actions.read), ...(mode === 'read' ? [] : actions.write)])].sort();
}
