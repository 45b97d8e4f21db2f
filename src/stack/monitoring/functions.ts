import { aws_cloudwatch as cw } from 'aws-cdk-lib';
import type { ResolvedFunction, ResolvedStage } from '../../config/resolve.js';
import { functionName, type NameScope } from '../naming.js';
import type { AlarmFactory } from './alarms.js';
import { labelled, metricsOf } from './metrics.js';

/**
 * One dashboard row per function: invocations, errors and throttles; p99 duration; its alarms
 * (errors, p99 duration as a share of its timeout, throttles, with the stage's thresholds).
 * `extraAlarms` are alarms made elsewhere that belong in the function's status widget.
 */
export function functionRow(
  fn: ResolvedFunction,
  stage: ResolvedStage,
  names: NameScope,
  alarm: AlarmFactory,
  extraAlarms: readonly cw.IAlarm[] = [],
): cw.IWidget[] {
  // Function names are derived, not read from compute: alarms may exist before the function does.
  const metric = metricsOf('AWS/Lambda', { FunctionName: functionName(names, fn.name) });
  const errors = metric('Errors', 'Sum');
  const duration = metric('Duration', 'p99');
  const throttles = metric('Throttles', 'Sum');
  const limitMs = Math.round((fn.timeout * 1000 * stage.alarms.durationPercent) / 100);
  const alarms = [
    alarm(`${fn.name}-errors`, { metric: errors, threshold: stage.alarms.errors, description: `${fn.name}: ${stage.alarms.errors}+ errors in 5 minutes` }),
    alarm(`${fn.name}-duration`, {
      metric: duration,
      threshold: limitMs,
      description: `${fn.name}: p99 duration at ${stage.alarms.durationPercent}% of its ${fn.timeout}s timeout`,
    }),
    alarm(`${fn.name}-throttles`, { metric: throttles, threshold: stage.alarms.throttles, description: `${fn.name}: ${stage.alarms.throttles}+ throttles in 5 minutes` }),
  ];
  return [
    new cw.GraphWidget({
      title: `${fn.name} invocations, errors and throttles`,
      left: [labelled(metric('Invocations', 'Sum'), 'invocations'), labelled(errors, 'errors'), labelled(throttles, 'throttles')],
      width: 8,
    }),
    new cw.GraphWidget({
      title: `${fn.name} duration p99 (ms)`,
      left: [labelled(duration, 'p99')],
      leftAnnotations: [{ value: limitMs, label: 'alarm' }],
      width: 8,
    }),
    new cw.AlarmStatusWidget({ title: `${fn.name} alarms`, alarms: [...alarms, ...extraAlarms], width: 8 }),
  ];
}
