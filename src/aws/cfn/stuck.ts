import { Spec3Error } from '../../errors.js';
import type { DeployedStack } from './stacks.js';

/**
 * The named error for a stack only an operator can unblock, with the recovery step. `destroy` is
 * the spec3 destroy command for the run's target (see spec3Command): it finishes a DELETE_FAILED
 * stack whose failed resources are gone, retaining them.
 */
export function stuckError(stack: DeployedStack, destroy = 'spec3 destroy'): Spec3Error {
  const why = stack.reason ? `: ${stack.reason}` : '';
  if (stack.status === 'UPDATE_ROLLBACK_FAILED') {
    return new Spec3Error(
      'STACK_ROLLBACK_FAILED',
      `${stack.name} is UPDATE_ROLLBACK_FAILED${why}`,
      `Fix the resource that could not roll back, then run \`aws cloudformation continue-update-rollback --stack-name ${stack.name}\` (add --resources-to-skip for resources that cannot be restored) and deploy again.`,
    );
  }
  if (stack.status === 'DELETE_FAILED') {
    return new Spec3Error(
      'STACK_DELETE_FAILED',
      `${stack.name} is DELETE_FAILED${why}`,
      `Remove what blocks the delete (often a non-empty bucket or a resource used elsewhere), then finish the delete with \`${destroy}\`: it retains the failed resources that are already gone. A deploy afterwards creates the stack anew.`,
    );
  }
  return new Spec3Error('STACK_STUCK', `${stack.name} is ${stack.status}${why}`, 'Resolve it in the CloudFormation console, then retry.');
}
