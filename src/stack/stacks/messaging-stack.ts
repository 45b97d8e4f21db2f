import { Duration, aws_kms as kms, aws_sns as sns, aws_sns_subscriptions as subs, aws_sqs as sqs } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedFunction } from '../../config/resolve.js';
import { acknowledge } from '../acknowledge.js';
import { queueName, topicName } from '../naming.js';
import type { StackHandles } from '../handles.js';
import { Spec3Stack, type StackInput } from '../spec3-stack.js';

export interface MessagingStackInput extends StackInput {
  /** Sizes the work queue's visibility timeout to the slowest consumer. */
  readonly functions: readonly ResolvedFunction[];
}

/**
 * Phase foundation. The work queue with its dead-letter queue, a dead-letter queue for failed
 * asynchronous function invocations, and the alert topic alarms publish to.
 */
export class MessagingStack extends Spec3Stack {
  readonly handles: StackHandles['messaging'];

  constructor(scope: Construct, input: MessagingStackInput) {
    super(scope, 'messaging', input, 'SQS work queue with DLQ and SNS alert topic');
    const { stage } = input;
    const names = { project: stage.project, stage: stage.name };

    const workDlq = new sqs.Queue(this, 'WorkDlq', {
      queueName: queueName(names, 'work-dlq'),
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    const consumers = input.functions.filter((fn) => fn.triggers.some((t) => t.type === 'queue'));
    // AWS advises a visibility timeout of six times the consumer's timeout, so retries never overlap.
    const slowest = Math.max(30, ...consumers.map((fn) => fn.timeout * 6));
    const work = new sqs.Queue(this, 'WorkQueue', {
      queueName: queueName(names, 'work'),
      visibilityTimeout: Duration.seconds(Math.min(slowest, 43200)),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: workDlq, maxReceiveCount: 5 },
    });
    const functionsDlq = new sqs.Queue(this, 'FunctionsDlq', {
      queueName: queueName(names, 'functions-dlq'),
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledge(functionsDlq, {
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is a dead-letter queue itself: Lambda sends it the asynchronous invocations that failed.',
    });

    const key = kms.Key.fromKeyArn(this, 'DataKey', this.wiring.consume(this, 'security', 'key-arn'));
    const topic = new sns.Topic(this, 'AlertTopic', {
      topicName: topicName(names),
      displayName: `${stage.project} ${stage.name} alerts`,
      masterKey: key,
      enforceSSL: true,
    });
    if (stage.alarmEmail) topic.addSubscription(new subs.EmailSubscription(stage.alarmEmail));

    this.wiring.publish(this, 'work-queue-url', work.queueUrl);
    this.wiring.publish(this, 'work-queue-arn', work.queueArn);
    this.wiring.publish(this, 'work-dlq-name', workDlq.queueName);
    this.wiring.publish(this, 'functions-dlq-arn', functionsDlq.queueArn);
    this.wiring.publish(this, 'functions-dlq-name', functionsDlq.queueName);
    this.wiring.publish(this, 'alert-topic-arn', topic.topicArn);
    this.handles = { workQueue: work, workDlq, functionsDlq, alertTopic: topic };
  }
}
