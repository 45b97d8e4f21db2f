import { Duration, aws_dynamodb as dynamodb, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { bucketName, tableName } from '../naming.js';
import { dataRemovalPolicy } from '../removal.js';
import { Spec3Stack, type StackInput } from '../spec3-stack.js';

/**
 * Phase foundation. The DynamoDB table (pk/sk with one GSI, PITR per stage) and the data bucket
 * (versioned, KMS-encrypted, private, TLS only, with lifecycle rules). The bucket sends its events
 * to EventBridge, so later phases subscribe to object creation without the bucket knowing them:
 * that is what breaks the Storage -> Compute half of the old cycle.
 */
export class StorageStack extends Spec3Stack {
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
    table.addGlobalSecondaryIndex({
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
    });

    const bucket = new s3.Bucket(this, 'DataBucket', {
      bucketName: bucketName({ ...scopeName, account: stage.account, region: stage.region }),
      versioned: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
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
  }
}
