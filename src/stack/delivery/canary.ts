import { aws_codedeploy as codedeploy, type aws_cloudwatch as cw, type aws_lambda as lambda } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.js';

export interface CanaryDeliveryProps {
  /** Physical name of the CodeDeploy application. */
  readonly applicationName: string;
}

/**
 * Canary delivery of function updates: a CodeDeploy Lambda application, and per function a
 * deployment group that shifts 10% of the `live` alias to a new version for five minutes, then
 * the rest, and rolls back when the deployment fails or one of the function's alarms fires.
 * CloudFormation hands an alias update to CodeDeploy through the UpdatePolicy the group sets.
 */
export class CanaryDelivery extends Construct {
  private readonly application: codedeploy.LambdaApplication;

  constructor(scope: Construct, id: string, props: CanaryDeliveryProps) {
    super(scope, id);
    this.application = new codedeploy.LambdaApplication(this, 'Application', { applicationName: props.applicationName });
  }

  /** Delivers updates of `alias` as a canary watched by `alarms`. */
  add(id: string, alias: lambda.Alias, groupName: string, alarms: readonly cw.IAlarm[]): codedeploy.LambdaDeploymentGroup {
    const group = new codedeploy.LambdaDeploymentGroup(this, id, {
      application: this.application,
      deploymentGroupName: groupName,
      alias,
      deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
      alarms: [...alarms],
      autoRollback: { failedDeployment: true, deploymentInAlarm: true },
    });
    acknowledge(group, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]',
      reason: "CodeDeploy's own service-role policy for Lambda deployments (limited variant: alias updates and hook invocations only); AWS maintains it.",
    });
    return group;
  }
}
