import { Duration, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { acknowledge, wildcardFinding } from '../acknowledge.js';
import { prefix } from '../naming.js';
import { dataRemovalPolicy } from '../removal.js';
import type { StackHandles } from '../handles.js';
import { Spec3Stack, type StackInput } from '../spec3-stack.js';

/**
 * Phase foundation. The stage's KMS key (rotated yearly) that encrypts the table, bucket and
 * alert topic, and the managed policy every function role shares.
 */
export class SecurityStack extends Spec3Stack {
  readonly handles: StackHandles['security'];

  constructor(scope: Construct, input: StackInput) {
    super(scope, 'security', input, 'KMS key and shared IAM policy');
    const name = prefix({ project: input.stage.project, stage: input.stage.name });

    const key = new kms.Key(this, 'DataKey', {
      alias: `alias/${name}`,
      description: `Encrypts ${name} data at rest`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      removalPolicy: dataRemovalPolicy(input.stage),
    });
    // CloudWatch alarms publish to the encrypted alert topic; without this they fail silently.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKey',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    const functionBase = new iam.ManagedPolicy(this, 'FunctionBasePolicy', {
      managedPolicyName: `${name}-function-base`,
      description: 'What every spec3 function needs: sending traces to X-Ray',
      statements: [
        new iam.PolicyStatement({
          sid: 'XRayTraces',
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          // X-Ray has no resource-level permissions for these actions.
          resources: ['*'],
        }),
      ],
    });
    acknowledge(functionBase, {
      id: wildcardFinding('Resource::*'),
      reason: 'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.',
    });

    this.wiring.publish(this, 'key-arn', key.keyArn);
    this.wiring.publish(this, 'function-base-policy-arn', functionBase.managedPolicyArn);
    this.handles = { key, functionBasePolicy: functionBase };
  }
}
