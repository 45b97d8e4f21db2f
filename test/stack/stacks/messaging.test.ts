import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { onlyResource, resourcesOf, ssmRef, tunedConfig, useStages } from '../build.js';

const built = useStages(['dev', 'staging', 'prod'] as const);
const tuned = useStages(['staging'] as const, tunedConfig);

const queue = (stage: 'dev' | 'staging' | 'prod', name: string) =>
  onlyResource(built[stage].template('messaging'), 'AWS::SQS::Queue', { QueueName: name });

describe('messaging stack', () => {
  it('creates the work queue, its DLQ and the functions DLQ, named per stage', () => {
    const names = Object.values(resourcesOf(built.dev.template('messaging'), 'AWS::SQS::Queue')).map((q) => q.Properties!.QueueName);
    expect(names.sort()).toEqual(['orders-dev-functions-dlq', 'orders-dev-work', 'orders-dev-work-dlq']);
  });

  it('redrives the work queue to its DLQ after 5 receives', () => {
    const dlq = queue('dev', 'orders-dev-work-dlq');
    expect(queue('dev', 'orders-dev-work').Properties!.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlq.id, 'Arn'] },
      maxReceiveCount: 5,
    });
  });

  it("sets the work queue's visibility timeout to 6 x its consumer's timeout", () => {
    // analysis consumes the queue with the stage default timeout of 30 s.
    expect(built.dev.functions.find((f) => f.name === 'analysis')!.timeout).toBe(30);
    expect(queue('dev', 'orders-dev-work').Properties!.VisibilityTimeout).toBe(180);
    // With analysis overridden to 120 s.
    tuned.staging.template('messaging').hasResourceProperties('AWS::SQS::Queue', { QueueName: 'orders-staging-work', VisibilityTimeout: 720 });
  });

  it('keeps dead letters 14 days', () => {
    expect(queue('dev', 'orders-dev-work-dlq').Properties!.MessageRetentionPeriod).toBe(1209600);
    expect(queue('dev', 'orders-dev-functions-dlq').Properties!.MessageRetentionPeriod).toBe(1209600);
  });

  it('encrypts every queue (SQS-managed SSE) and denies non-TLS access', () => {
    const template = built.dev.template('messaging');
    template.resourceCountIs('AWS::SQS::Queue', 3);
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: [Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })],
        },
      },
      3,
    );
  });

  it('encrypts the alert topic with the stage key read from SSM', () => {
    const template = built.dev.template('messaging');
    const topic = onlyResource(template, 'AWS::SNS::Topic');
    expect(topic.Properties!.TopicName).toBe('orders-dev-alerts');
    expect(topic.Properties!.KmsMasterKeyId).toEqual(ssmRef(template, '/spec3/orders/dev/security/key-arn'));
  });

  it('subscribes the alarm e-mail only where the stage has one (prod in the sample)', () => {
    built.dev.template('messaging').resourceCountIs('AWS::SNS::Subscription', 0);
    built.staging.template('messaging').resourceCountIs('AWS::SNS::Subscription', 0);
    const prod = built.prod.template('messaging');
    const topic = onlyResource(prod, 'AWS::SNS::Topic');
    expect(onlyResource(prod, 'AWS::SNS::Subscription').Properties).toEqual({
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: topic.id },
    });
  });

  it('publishes queue and topic coordinates through SSM', () => {
    const names = Object.values(resourcesOf(built.dev.template('messaging'), 'AWS::SSM::Parameter')).map((p) => p.Properties!.Name);
    expect(names.sort()).toEqual([
      '/spec3/orders/dev/messaging/alert-topic-arn',
      '/spec3/orders/dev/messaging/functions-dlq-arn',
      '/spec3/orders/dev/messaging/functions-dlq-name',
      '/spec3/orders/dev/messaging/work-dlq-name',
      '/spec3/orders/dev/messaging/work-queue-arn',
      '/spec3/orders/dev/messaging/work-queue-url',
    ]);
  });
});
