import type { Spec3ConfigInput } from '../../../src/config/schema.js';
import { sampleConfig } from '../../helpers/project.js';

type Extensions = NonNullable<Spec3ConfigInput['extensions']>;

/**
 * Raw CloudFormation a team would write: an audit table encrypted with the stage key (storage),
 * an event queue with its dead-letter queue and a TLS-only policy that reads the audit table's
 * ARN from another stack (messaging), and an output. Meant to pass cfn-lint and cdk-nag as is.
 */
export function rawExtensions(): Extensions {
  return {
    storage: {
      resources: {
        AuditTable: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            BillingMode: 'PAY_PER_REQUEST',
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'spec3:ref': 'security.key.arn' } },
            StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
          },
        },
      },
      outputs: { AuditTableName: { Value: { Ref: 'AuditTable' }, Description: 'Name of the audit table' } },
    },
    messaging: {
      resources: {
        EventsDlq: {
          Type: 'AWS::SQS::Queue',
          Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 },
          Metadata: { cdk_nag: { rules_to_suppress: [{ id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue of EventsQueue.' }] } },
        },
        EventsQueue: {
          Type: 'AWS::SQS::Queue',
          Properties: {
            SqsManagedSseEnabled: true,
            RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['EventsDlq', 'Arn'] }, maxReceiveCount: 5 },
            Tags: [{ Key: 'audit-table', Value: { 'spec3:ref': 'storage.ext.AuditTable.arn' } }],
          },
        },
        EventsQueuePolicy: {
          Type: 'AWS::SQS::QueuePolicy',
          Properties: {
            Queues: [{ Ref: 'EventsQueue' }, { Ref: 'EventsDlq' }],
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Deny',
                  Principal: { AWS: '*' },
                  Action: 'sqs:*',
                  Resource: [{ 'Fn::GetAtt': ['EventsQueue', 'Arn'] }, { 'Fn::GetAtt': ['EventsDlq', 'Arn'] }],
                  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                },
              ],
            },
          },
        },
      },
      outputs: { EventsQueueUrl: { Value: { Ref: 'EventsQueue' } } },
    },
  };
}

/** The sample project with rawExtensions(). */
export function rawConfig(): Spec3ConfigInput {
  return sampleConfig({ extensions: rawExtensions() });
}
