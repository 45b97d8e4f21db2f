import { Duration, aws_cloudwatch as cw, type aws_lambda as lambda } from 'aws-cdk-lib';
import type { ResolvedFunction, ResolvedStage } from '../../config/resolve.js';

/**
 * One minute: a canary serves 10% of traffic for five minutes, so a five-minute period would see
 * a failing canary only after it had been promoted.
 */
const PERIOD = Duration.minutes(1);

/**
 * The alarms a canary deployment of one function watches, on the metrics of its `live` alias
 * (dimensions FunctionName and Resource `<function>:live`), so only traffic reaching the alias
 * counts. Thresholds are the stage's `alarms` settings: errors as a count, duration as a share of
 * the function's timeout. No traffic is not a failure (a quiet canary must not roll back).
 * `physicalName` is the function's name, `<project>-<stage>-<function>`.
 */
export function rollbackAlarms(
  alias: lambda.Alias,
  physicalName: string,
  fn: ResolvedFunction,
  stage: ResolvedStage,
): cw.Alarm[] {
  const dimensionsMap = { FunctionName: alias.version.lambda.functionName, Resource: `${physicalName}:${alias.aliasName}` };
  const metric = (metricName: string, statistic: string) =>
    new cw.Metric({ namespace: 'AWS/Lambda', metricName, dimensionsMap, statistic, period: PERIOD });
  const limitMs = Math.round((fn.timeout * 1000 * stage.alarms.durationPercent) / 100);
  const alarm = (id: string, suffix: string, m: cw.Metric, threshold: number, description: string) =>
    new cw.Alarm(alias, id, {
      alarmName: `${physicalName}-rollback-${suffix}`,
      alarmDescription: description,
      metric: m,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
  return [
    alarm(
      'RollbackErrors',
      'errors',
      metric('Errors', 'Sum'),
      stage.alarms.errors,
      `Rolls back a deployment of ${fn.name}: ${stage.alarms.errors}+ errors of the live alias in a minute`,
    ),
    alarm(
      'RollbackDuration',
      'duration',
      metric('Duration', 'p99'),
      limitMs,
      `Rolls back a deployment of ${fn.name}: p99 duration of the live alias at ${stage.alarms.durationPercent}% of its ${fn.timeout}s timeout`,
    ),
  ];
}
