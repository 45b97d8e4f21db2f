import { aws_cloudwatch as cw } from 'aws-cdk-lib';
import type { AlarmFactory } from './alarms.js';
import { labelled, metricsOf } from './metrics.js';

export interface DeadLetterQueues {
  /** Queue name of the work queue's dead-letter queue. */
  readonly work: string;
  /** Queue name of the functions' asynchronous-invocation dead-letter queue. */
  readonly functions: string;
}

/** Depth of both dead-letter queues, graphed and alarmed on the first message. */
export function deadLetterRow(queues: DeadLetterQueues, alarm: AlarmFactory): cw.IWidget[] {
  const depth = (queueName: string) => metricsOf('AWS/SQS', { QueueName: queueName })('ApproximateNumberOfMessagesVisible', 'Maximum');
  const work = depth(queues.work);
  const functions = depth(queues.functions);
  const alarms = [
    alarm('work-dlq-depth', { metric: work, threshold: 1, description: 'Messages are failing in the work queue' }),
    alarm('functions-dlq-depth', { metric: functions, threshold: 1, description: 'Asynchronous invocations are failing' }),
  ];
  return [
    new cw.GraphWidget({ title: 'Dead-letter queue depth', left: [labelled(work, 'work dead-letter queue'), labelled(functions, 'functions dead-letter queue')], width: 12 }),
    new cw.AlarmStatusWidget({ title: 'Dead-letter queues', alarms, width: 12 }),
  ];
}
