import {
  Duration,
  aws_cloudwatch as cw,
  aws_cloudwatch_actions as cwActions,
  aws_sns as sns,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedFunction } from '../../config/resolve.js';
import type { Spec3Config } from '../../config/schema.js';
import { functionName, prefix } from '../naming.js';
import { Spec3Stack, type StackInput } from '../spec3-stack.js';

export interface MonitoringStackInput extends StackInput {
  readonly functions: readonly ResolvedFunction[];
  readonly api: Spec3Config['features']['api'];
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Phase app. One dashboard for the stage and alarms with the stage's thresholds: per function
 * errors, p99 duration (as a share of its timeout) and throttles; dead-letter queue depth; API 5xx.
 * Every alarm notifies the alert topic.
 */
export class MonitoringStack extends Spec3Stack {
  constructor(scope: Construct, input: MonitoringStackInput) {
    super(scope, 'monitoring', input, 'CloudWatch dashboard and alarms');
    const { stage } = input;
    const names = { project: stage.project, stage: stage.name };
    const topic = sns.Topic.fromTopicArn(this, 'AlertTopic', this.wiring.consume(this, 'messaging', 'alert-topic-arn'));
    const notify = new cwActions.SnsAction(topic);
    const dashboard = new cw.Dashboard(this, 'Dashboard', { dashboardName: prefix(names) });
    const alarm = (id: string, metric: cw.IMetric, threshold: number, description: string) => {
      const a = new cw.Alarm(this, id, {
        alarmName: `${prefix(names)}-${id}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(notify);
      return a;
    };

    for (const fn of input.functions) {
      // Function names are derived, not read from compute: alarms may exist before the function does.
      const dimensionsMap = { FunctionName: functionName(names, fn.name) };
      const metric = (metricName: string, statistic: string) =>
        new cw.Metric({ namespace: 'AWS/Lambda', metricName, dimensionsMap, statistic, period: FIVE_MINUTES });
      const errors = metric('Errors', 'Sum');
      const duration = metric('Duration', 'p99');
      const throttles = metric('Throttles', 'Sum');
      const limitMs = Math.round((fn.timeout * 1000 * stage.alarms.durationPercent) / 100);
      const alarms = [
        alarm(`${fn.name}-errors`, errors, stage.alarms.errors, `${fn.name}: ${stage.alarms.errors}+ errors in 5 minutes`),
        alarm(`${fn.name}-duration`, duration, limitMs, `${fn.name}: p99 duration at ${stage.alarms.durationPercent}% of its ${fn.timeout}s timeout`),
        alarm(`${fn.name}-throttles`, throttles, stage.alarms.throttles, `${fn.name}: ${stage.alarms.throttles}+ throttles in 5 minutes`),
      ];
      dashboard.addWidgets(
        new cw.GraphWidget({ title: `${fn.name} invocations and errors`, left: [metric('Invocations', 'Sum'), errors], width: 8 }),
        new cw.GraphWidget({ title: `${fn.name} duration p99 (ms)`, left: [duration], width: 8 }),
        new cw.AlarmStatusWidget({ title: `${fn.name} alarms`, alarms, width: 8 }),
      );
    }

    const dlqDepth = (queueName: string) =>
      new cw.Metric({
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensionsMap: { QueueName: queueName },
        statistic: 'Maximum',
        period: FIVE_MINUTES,
      });
    const dlqs = [
      alarm('work-dlq-depth', dlqDepth(this.wiring.consume(this, 'messaging', 'work-dlq-name')), 1, 'Messages are failing in the work queue'),
      alarm('functions-dlq-depth', dlqDepth(this.wiring.consume(this, 'messaging', 'functions-dlq-name')), 1, 'Asynchronous invocations are failing'),
    ];
    dashboard.addWidgets(new cw.AlarmStatusWidget({ title: 'Dead-letter queues', alarms: dlqs, width: 24 }));

    if (input.api && this.wiring.has('api')) {
      // REST APIs report 5xx by API name, HTTP APIs by API id.
      const fiveXx =
        input.api.type === 'rest'
          ? new cw.Metric({ namespace: 'AWS/ApiGateway', metricName: '5XXError', dimensionsMap: { ApiName: this.wiring.consume(this, 'api', 'api-name') }, statistic: 'Sum', period: FIVE_MINUTES })
          : new cw.Metric({ namespace: 'AWS/ApiGateway', metricName: '5xx', dimensionsMap: { ApiId: this.wiring.consume(this, 'api', 'api-id') }, statistic: 'Sum', period: FIVE_MINUTES });
      const a = alarm('api-5xx', fiveXx, 5, 'The API is returning server errors');
      dashboard.addWidgets(new cw.GraphWidget({ title: 'API 5xx', left: [fiveXx], width: 12 }), new cw.AlarmStatusWidget({ title: 'API', alarms: [a], width: 12 }));
    }
  }
}
