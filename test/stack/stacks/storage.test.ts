import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { onlyResource, resourcesOf, ssmRef, useStages } from '../build.js';

const built = useStages(['dev', 'staging', 'prod'] as const);
const STAGES = ['dev', 'staging', 'prod'] as const;

describe('storage stack: table', () => {
  it('keys the table on pk (hash) and sk (range), on demand, named orders-<stage>-table', () => {
    const table = onlyResource(built.dev.template('storage'), 'AWS::DynamoDB::Table');
    expect(table.Properties!.TableName).toBe('orders-dev-table');
    expect(table.Properties!.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties!.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table.Properties!.AttributeDefinitions).toEqual([
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'gsi1pk', AttributeType: 'S' },
      { AttributeName: 'gsi1sk', AttributeType: 'S' },
    ]);
  });

  it('has the one GSI gsi1 on gsi1pk/gsi1sk projecting all attributes', () => {
    const table = onlyResource(built.dev.template('storage'), 'AWS::DynamoDB::Table');
    expect(table.Properties!.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'gsi1',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });

  it('encrypts the table with the stage key read from SSM', () => {
    const template = built.dev.template('storage');
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: ssmRef(template, '/spec3/orders/dev/security/key-arn') },
    });
  });

  it('enables point-in-time recovery in staging and prod only', () => {
    const pitr = Object.fromEntries(
      STAGES.map((s) => [
        s,
        onlyResource(built[s].template('storage'), 'AWS::DynamoDB::Table').Properties!.PointInTimeRecoverySpecification,
      ]),
    );
    expect(pitr).toEqual({
      dev: { PointInTimeRecoveryEnabled: false },
      staging: { PointInTimeRecoveryEnabled: true },
      prod: { PointInTimeRecoveryEnabled: true },
    });
  });
});

const dataBucket = (template: Template, stage: string) =>
  onlyResource(template, 'AWS::S3::Bucket', { BucketName: `orders-${stage}-data-123456789012-us-east-1` });
const accessLogsBucket = (template: Template, stage: string) =>
  onlyResource(template, 'AWS::S3::Bucket', { BucketName: `orders-${stage}-logs-123456789012-us-east-1` });

describe('storage stack: bucket', () => {
  it('names the bucket orders-<stage>-data-<account>-<region> and versions it', () => {
    built.prod.template('storage').hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'orders-prod-data-123456789012-us-east-1',
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('encrypts with the stage KMS key and an S3 bucket key', () => {
    const template = built.dev.template('storage');
    const bucket = dataBucket(template, 'dev');
    expect(bucket.Properties!.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: ssmRef(template, '/spec3/orders/dev/security/key-arn'),
          },
        },
      ],
    });
  });

  it('blocks every kind of public access', () => {
    const bucket = dataBucket(built.dev.template('storage'), 'dev');
    expect(bucket.Properties!.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('denies requests without TLS in the bucket policy', () => {
    const template = built.dev.template('storage');
    const bucket = dataBucket(template, 'dev');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket.id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('has the lifecycle rules, keeping old versions 30 days in dev and 90 in prod', () => {
    const rules = (noncurrentDays: number) => [
      { Id: 'abort-incomplete-uploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
      { Id: 'expire-old-versions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: noncurrentDays } },
      { Id: 'infrequent-access', Status: 'Enabled', Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 90 }] },
    ];
    expect(dataBucket(built.dev.template('storage'), 'dev').Properties!.LifecycleConfiguration).toEqual({ Rules: rules(30) });
    expect(dataBucket(built.prod.template('storage'), 'prod').Properties!.LifecycleConfiguration).toEqual({ Rules: rules(90) });
  });

  it('sends object events to EventBridge through the native bucket property', () => {
    const bucket = dataBucket(built.dev.template('storage'), 'dev');
    expect(bucket.Properties!.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
  });

  it('has no Custom::S3BucketNotifications nor any custom resource in any stack of any stage', () => {
    for (const s of STAGES) {
      for (const template of built[s].templates()) {
        template.resourceCountIs('Custom::S3BucketNotifications', 0);
        template.resourceCountIs('AWS::CloudFormation::CustomResource', 0);
        const types = Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type);
        expect(types.filter((t) => t.startsWith('Custom::'))).toEqual([]);
      }
    }
    // The notification custom resource would come with its handler Lambda in this stack.
    built.dev.template('storage').resourceCountIs('AWS::Lambda::Function', 0);
  });
});

describe('storage stack: access logs', () => {
  it('logs every request to the data bucket into the access-log bucket', () => {
    const template = built.dev.template('storage');
    expect(dataBucket(template, 'dev').Properties!.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: accessLogsBucket(template, 'dev').id },
      LogFilePrefix: 'data/',
    });
  });

  it('keeps access logs private, TLS only, S3-encrypted (S3 cannot deliver to KMS) and for the stage log retention', () => {
    for (const [stage, days] of [['dev', 7], ['prod', 365]] as const) {
      const template = built[stage].template('storage');
      const logs = accessLogsBucket(template, stage);
      expect(logs.Properties!.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
      expect(logs.Properties!.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(logs.Properties!.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      expect(logs.Properties!.LifecycleConfiguration).toEqual({ Rules: [{ Id: 'expire-access-logs', Status: 'Enabled', ExpirationInDays: days }] });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logs.id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            // Delivered under a bucket policy for the logging service, not the legacy ACL.
            Match.objectLike({ Effect: 'Allow', Action: 's3:PutObject', Principal: { Service: 'logging.s3.amazonaws.com' } }),
          ]),
        },
      });
      expect(logs.Properties!.AccessControl).toBeUndefined();
    }
  });
});

describe('storage stack: outputs', () => {
  it('publishes table and bucket names and ARNs through SSM', () => {
    const template = built.dev.template('storage');
    const table = onlyResource(template, 'AWS::DynamoDB::Table');
    const bucket = dataBucket(template, 'dev');
    const published = Object.fromEntries(
      Object.values(resourcesOf(template, 'AWS::SSM::Parameter')).map((p) => [p.Properties!.Name, p.Properties!.Value]),
    );
    expect(published).toEqual({
      '/spec3/orders/dev/storage/table-name': { Ref: table.id },
      '/spec3/orders/dev/storage/table-arn': { 'Fn::GetAtt': [table.id, 'Arn'] },
      '/spec3/orders/dev/storage/bucket-name': { Ref: bucket.id },
      '/spec3/orders/dev/storage/bucket-arn': { 'Fn::GetAtt': [bucket.id, 'Arn'] },
    });
  });
});
