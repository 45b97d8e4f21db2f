import { ArnFormat, Stack, aws_cloudwatch as cw } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { functionName, type NameScope } from '../naming.js';

/**
 * The canary rollback alarms the compute stack gives a function in a `canary` stage
 * (`<function>-rollback-errors` / `-duration`, see stack/delivery/rollback-alarms.ts), referenced by
 * the ARN their names imply: the dashboard shows them without a reference to the compute stack.
 */
export function rollbackAlarmsOf(scope: Construct, names: NameScope, fn: string): cw.IAlarm[] {
  return (['errors', 'duration'] as const).map((suffix) => {
    const alarmName = `${functionName(names, fn)}-rollback-${suffix}`;
    const arn = Stack.of(scope).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: alarmName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    return cw.Alarm.fromAlarmArn(scope, `${fn}-rollback-${suffix}-ref`, arn);
  });
}
