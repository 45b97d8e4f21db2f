import { aws_cloudwatch as cw, aws_sns as sns } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedFunction } from '../../config/resolve.js';
import type { Spec3Config } from '../../config/schema.js';
import { alarmFactory } from '../monitoring/alarms.js';
import { apiRow } from '../monitoring/api.js';
import { functionRow } from '../monitoring/functions.js';
import type { RequestMetrics } from '../monitoring/metrics.js';
import { deadLetterRow } from '../monitoring/queues.js';
import { rollbackAlarmsOf } from '../monitoring/rollback.js';
import { serviceRow } from '../monitoring/service.js';
import { sloRow } from '../monitoring/slo.js';
import { prefix } from '../naming.js';
import type { StackHandles } from '../handles.js';
import { Spec3Stack, type StackInput } from '../spec3-stack.js';

export interface MonitoringStackInput extends StackInput {
  readonly functions: readonly ResolvedFunction[];
  readonly api: Spec3Config['features']['api'];
}

/**
 * Phase app. One dashboard for the stage, `<project>-<stage>`: the availability SLO first, then a
 * row per function (with its canary rollback alarms in a `canary` stage), the API, the container
 * service and the dead-letter queues, each with its alarms. Alarms use the stage's thresholds and
 * all notify the alert topic.
 */
export class MonitoringStack extends Spec3Stack {
  readonly handles: StackHandles['monitoring'];

  constructor(scope: Construct, input: MonitoringStackInput) {
    super(scope, 'monitoring', input, 'CloudWatch dashboard and alarms');
    const { stage } = input;
    const names = { project: stage.project, stage: stage.name };
    const topic = sns.Topic.fromTopicArn(this, 'AlertTopic', this.wiring.consume(this, 'messaging', 'alert-topic-arn'));
    const alarm = alarmFactory(this, names, topic);
    const rows: cw.IWidget[][] = [];
    const requestMetrics: RequestMetrics[] = [];

    for (const fn of input.functions) {
      const rollback = stage.canary ? rollbackAlarmsOf(this, names, fn.name) : [];
      rows.push(functionRow(fn, stage, names, alarm, rollback));
    }

    // The API stack exists only when some function has an HTTP trigger.
    if (input.api && this.wiring.has('api')) {
      const id = input.api.type === 'rest' ? this.wiring.consume(this, 'api', 'api-name') : this.wiring.consume(this, 'api', 'api-id');
      const api = apiRow(input.api.type, id, alarm);
      rows.push(api.widgets);
      requestMetrics.push(api.slo);
    }

    if (this.wiring.has('service')) {
      const service = serviceRow(
        {
          loadBalancer: this.wiring.consume(this, 'service', 'alb-full-name'),
          targetGroup: this.wiring.consume(this, 'service', 'target-group-full-name'),
          cluster: this.wiring.consume(this, 'service', 'cluster-name'),
          service: this.wiring.consume(this, 'service', 'service-name'),
        },
        alarm,
      );
      rows.push(service.widgets);
      requestMetrics.push(service.slo);
    }

    rows.push(
      deadLetterRow(
        { work: this.wiring.consume(this, 'messaging', 'work-dlq-name'), functions: this.wiring.consume(this, 'messaging', 'functions-dlq-name') },
        alarm,
      ),
    );

    const dashboard = new cw.Dashboard(this, 'Dashboard', { dashboardName: prefix(names) });
    dashboard.addWidgets(...sloRow(stage.slo.availability, requestMetrics, alarm));
    for (const row of rows) dashboard.addWidgets(...row);
    this.handles = { dashboard };
  }
}
