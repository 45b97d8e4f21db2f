import { aws_cloudwatch as cw } from 'aws-cdk-lib';
import type { AlarmFactory } from './alarms.js';
import { labelled, metricsOf, type RequestMetrics } from './metrics.js';

export type ApiKind = 'rest' | 'http';

export interface ApiRow {
  readonly widgets: cw.IWidget[];
  readonly slo: RequestMetrics;
}

/**
 * The API's requests, 4xx and 5xx, p99 latency and p99 integration latency, and its 5xx alarm.
 * REST APIs report by API name, HTTP APIs by API id, with different metric names for errors.
 * Each stage has its own API (named `<project>-<stage>-api`), so the API-wide metrics, without a
 * Stage dimension, are the stage's.
 */
export function apiRow(kind: ApiKind, identifier: string, alarm: AlarmFactory): ApiRow {
  const metric = kind === 'rest' ? metricsOf('AWS/ApiGateway', { ApiName: identifier }) : metricsOf('AWS/ApiGateway', { ApiId: identifier });
  const [clientErrorName, serverErrorName] = kind === 'rest' ? ['4XXError', '5XXError'] : ['4xx', '5xx'];
  const requests = metric('Count', 'Sum');
  const serverErrors = metric(serverErrorName, 'Sum');
  const alarms = [alarm('api-5xx', { metric: serverErrors, threshold: 5, description: 'The API is returning server errors' })];
  const widgets = [
    new cw.GraphWidget({ title: 'API requests, 4xx and 5xx', left: [labelled(requests, 'requests')], right: [labelled(metric(clientErrorName, 'Sum'), '4xx'), labelled(serverErrors, '5xx')], width: 8 }),
    new cw.GraphWidget({
      title: 'API latency p99 (ms)',
      left: [labelled(metric('Latency', 'p99'), 'latency'), labelled(metric('IntegrationLatency', 'p99'), 'integration latency')],
      width: 8,
    }),
    new cw.AlarmStatusWidget({ title: 'API alarms', alarms, width: 8 }),
  ];
  return { widgets, slo: { source: 'api', requests, serverErrors } };
}
