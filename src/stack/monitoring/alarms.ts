import { aws_cloudwatch as cw, aws_cloudwatch_actions as cwActions, type aws_sns as sns } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { prefix, type NameScope } from '../naming.js';

export interface AlarmSpec {
  readonly metric: cw.IMetric;
  /** Alarms at or above this value. */
  readonly threshold: number;
  readonly description: string;
  /** Consecutive periods over the threshold before the alarm fires. @default 1 */
  readonly evaluationPeriods?: number;
}

/** Creates an alarm named `<project>-<stage>-<id>` that notifies the alert topic. */
export type AlarmFactory = (id: string, spec: AlarmSpec) => cw.Alarm;

export function alarmFactory(scope: Construct, names: NameScope, topic: sns.ITopic): AlarmFactory {
  const notify = new cwActions.SnsAction(topic);
  return (id, spec) => {
    const alarm = new cw.Alarm(scope, id, {
      alarmName: `${prefix(names)}-${id}`,
      alarmDescription: spec.description,
      metric: spec.metric,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data means no traffic (or nothing failing): not a reason to page anyone.
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(notify);
    return alarm;
  };
}
