import type { AssemblyStack } from '../../aws/assembly.js';
import type { AwsClients } from '../../aws/clients.js';
import { describeAwsError } from '../../aws/errors.js';
import type { Context } from '../../context.js';

/**
 * Clients acting as the bootstrap deploy role, as `cdk deploy` does: CI credentials are often
 * allowed to assume that role and nothing else. Credentials that cannot assume it (an admin
 * user in an account bootstrapped without trust) deploy as themselves, with a notice.
 */
export async function deployRole(aws: AwsClients, stack: AssemblyStack, ctx: Pick<Context, 'io'>): Promise<AwsClients> {
  if (!stack.deployRoleArn) return aws;
  const role = aws.withRole(stack.deployRoleArn, 'spec3-deploy');
  try {
    await role.credentials();
    return role;
  } catch (error) {
    ctx.io.emit({
      code: 'DEPLOY_ROLE_UNAVAILABLE',
      level: 'warn',
      message: `Could not assume ${stack.deployRoleArn} (${describeAwsError((error as Error).cause ?? error)}); deploying with the current credentials.`,
    });
    return aws;
  }
}
