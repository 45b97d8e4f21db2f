import { Duration, aws_dynamodb as dynamodb, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.js';
import { bucketName, prefix, tableName } from '../naming.js';
import { dataRemovalPolicy } from '../removal.js';
import type { StackHandles } from '../handles.js';
import { Spec3Stack, type StackInput } from '../spec3-stack.js';

/** The table's one global secondary index, also what function roles may query. */
export const TABLE_INDEX = 'gsi1';

/**
 * Phase foundation. The DynamoDB table (pk/sk with one GSI, PITR per stage) and the data bucket
 * (versioned, KMS-encrypted, private, TLS only, with lifecycle rules). The bucket sends its events
 * to EventBridge, so later phases subscribe to object creation without the bucket knowing them:
 * that is what breaks the Storage -> Compute half of the old cycle.
 */
export class StorageStack extends Spec3Stack {
  readonly handles: StackHandles['storage'];

  constructor(scope: Construct, input: StackInput) {
    super(scope, 'storage', input, 'DynamoDB table and S3 data bucket');
    const { stage } = input;
    const scopeName = { project: stage.project, stage: stage.name };
    const key = kms.Key.fromKeyArn(this, 'DataKey', this.wiring.consume(this, 'security', 'key-arn'));
    const removalPolicy = dataRemovalPolicy(stage);

    const table = new dynamodb.Table(this, 'Table', {
      tableName: tableName(scopeName),
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: stage.pointInTimeRecovery },
      deletionProtection: stage.protected,
      removalPolicy,
    });
    if (!stage.pointInTimeRecovery) {
      acknowledge(table, {
        id: 'AwsSolutions-DDB3',
        reason: `Point-in-time recovery is off in ${stage.name} by the stage's \`pointInTimeRecovery\` setting: its data is disposable and PITR is billed per GB.`,
      });
    }
    table.addGlobalSecondaryIndex({
      indexName: TABLE_INDEX,
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
    });

    // Server access logs record every request to the data bucket. S3 cannot deliver them to a
    // KMS-encrypted bucket, so this one uses S3-managed keys; it holds request records, not data.
    // Its name has the data bucket's length ("logs" for "data"), so the same limit check holds.
    const accessLogs = new s3.Bucket(this, 'AccessLogsBucket', {
      bucketName: `${prefix(scopeName)}-logs-${stage.account}-${stage.region}`,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(stage.logRetentionDays) }],
    });
    acknowledge(accessLogs, {
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket: logging its own requests into itself would never end.',
    });

    const bucket = new s3.Bucket(this, 'DataBucket', {
      bucketName: bucketName({ ...scopeName, account: stage.account, region: stage.region }),
      versioned: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'data/',
      removalPolicy,
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        { id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(stage.retainData ? 90 : 30) },
        {
          id: 'infrequent-access',
          transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) }],
        },
      ],
    });

    // Object events go to EventBridge through the native property: CDK's `eventBridgeEnabled` would
    // add a Lambda-backed custom resource for the same setting.
    (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };

    this.wiring.publish(this, 'table-name', table.tableName);
    this.wiring.publish(this, 'table-arn', table.tableArn);
    this.wiring.publish(this, 'bucket-name', bucket.bucketName);
    this.wiring.publish(this, 'bucket-arn', bucket.bucketArn);
    this.handles = { table, bucket, accessLogsBucket: accessLogs };
  }
}
