import { Duration, aws_cloudwatch as cw } from 'aws-cdk-lib';

/** The period of every graph and alarm on the dashboard, except the SLO windows. */
export const FIVE_MINUTES = Duration.minutes(5);

/** A metric of `namespace` with fixed dimensions, by name and statistic, over five minutes. */
export type MetricOf = (metricName: string, statistic: string) => cw.Metric;

export function metricsOf(namespace: string, dimensionsMap: Record<string, string>): MetricOf {
  return (metricName, statistic) => new cw.Metric({ namespace, metricName, dimensionsMap, statistic, period: FIVE_MINUTES });
}

/**
 * A metric with a legend label, for graphs only: an alarm on a labelled metric is written as metric
 * math (a `Metrics` list), which the local AWS leaves out, so alarms take the metric unlabelled.
 */
export const labelled = (metric: cw.Metric, label: string): cw.Metric => metric.with({ label });

/** What the SLO is measured on: the requests a front door served and those it failed with a 5xx. */
export interface RequestMetrics {
  /** Short name for metric ids and labels, e.g. "api". */
  readonly source: string;
  readonly requests: cw.Metric;
  readonly serverErrors: cw.Metric;
}
