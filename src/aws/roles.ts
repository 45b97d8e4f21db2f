import type { AssemblyStack } from './assembly.js';
import type { AwsClients } from './clients.js';
import { describeAwsError } from './errors.js';

export interface AssumedRole {
  readonly clients: AwsClients;
  /** Why the role is not used, when it could not be assumed. */
  readonly unavailable?: string;
}

/**
 * Clients acting as `roleArn`, or the current credentials (with the reason) when they cannot
 * assume it: an admin user in an account bootstrapped without trust can still work as itself.
 * Emits nothing: it may run before the account check has answered; the caller reports.
 */
export async function assumeOrSelf(aws: AwsClients, roleArn: string | undefined, session: string): Promise<AssumedRole> {
  if (!roleArn) return { clients: aws };
  const role = aws.withRole(roleArn, session);
  try {
    await role.credentials();
    return { clients: role };
  } catch (error) {
    return {
      clients: aws,
      unavailable: `Could not assume ${roleArn} (${describeAwsError((error as Error).cause ?? error)}); using the current credentials.`,
    };
  }
}

/** The bootstrap deploy role, as `cdk deploy` uses it: CI credentials are often allowed that role and nothing else. */
export const deployRole = (aws: AwsClients, stack: AssemblyStack): Promise<AssumedRole> =>
  assumeOrSelf(aws, stack.deployRoleArn, 'spec3-deploy');

/**
 * The bootstrap lookup role (read-only access to the account), as `cdk diff` and `cdk drift` use
 * it: drift detection reads each resource with the caller's permissions.
 */
export const lookupRole = (aws: AwsClients, stack: AssemblyStack): Promise<AssumedRole> =>
  assumeOrSelf(aws, stack.lookupRoleArn, 'spec3-lookup');
