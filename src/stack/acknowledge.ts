import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** A security check spec3 knowingly does not follow on a construct, and why. */
export interface Exemption {
  /** Rule id as the checks report it, e.g. `AwsSolutions-SQS3` or `AwsSolutions-IAM5[Resource::*]`. */
  readonly id: string;
  readonly reason: string;
}

/**
 * Records, on the construct and everything under it, that a rule of the policy checks (cdk-nag's
 * AwsSolutions pack in spec3's CI) is not followed on purpose. Uses aws-cdk-lib's own
 * acknowledgement metadata, which the checks read, so the product needs no checker at runtime.
 */
export function acknowledge(scope: IConstruct, ...exemptions: Exemption[]): void {
  Validations.of(scope).acknowledge(...exemptions);
}

/**
 * The id under which the checks report a wildcard in a policy: a wildcard action
 * (`Action::s3:GetObject*`) or a resource whose flattened form ends in one (`Resource::*`).
 */
export const wildcardFinding = (what: string): string => `AwsSolutions-IAM5[${what}]`;
