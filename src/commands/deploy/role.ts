import type { AssemblyStack } from '../../aws/assembly.js';
import type { AwsClients } from '../../aws/clients.js';
import { describeAwsError } from '../../aws/errors.js';

export interface DeployRole {
  readonly clients: AwsClients;
  /** Why the deploy role is not used, when it could not be assumed. */
  readonly unavailable?: string;
}

/**
 * Clients acting as the bootstrap deploy role, as `cdk deploy` does: CI credentials are often
 * allowed to assume that role and nothing else. Credentials that cannot assume it (an admin
 * user in an account bootstrapped without trust) deploy as themselves; the caller says so. It
 * emits nothing itself, since it runs before the account check has answered.
 */
export async function deployRole(aws: AwsClients, stack: AssemblyStack): Promise<DeployRole> {
  if (!stack.deployRoleArn) return { clients: aws };
  const role = aws.withRole(stack.deployRoleArn, 'spec3-deploy');
  try {
    await role.credentials();
    return { clients: role };
  } catch (error) {
    return {
      clients: aws,
      unavailable: `Could not assume ${stack.deployRoleArn} (${describeAwsError((error as Error).cause ?? error)}); deploying with the current credentials.`,
    };
  }
}
