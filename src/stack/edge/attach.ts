import { aws_wafv2 as wafv2 } from 'aws-cdk-lib';
import type { Spec3Stack } from '../spec3-stack.js';

/** The wiring key under which the edge stack publishes the ARN of the stage's web ACL. */
export const WEB_ACL_ARN_KEY = 'web-acl-arn';

/**
 * Attaches the stage's WAF web ACL (made once per stage in the edge stack, phase foundation) to a
 * regional resource of a later stack: a REST API stage or an Application Load Balancer. Does
 * nothing in stages without `waf`. The association lives with the protected resource, so it goes
 * away with it and the web ACL itself is never pointed back at a later phase.
 */
export function attachWebAcl(stack: Spec3Stack, id: string, resourceArn: string): wafv2.CfnWebACLAssociation | undefined {
  if (!stack.stage.waf) return undefined;
  return new wafv2.CfnWebACLAssociation(stack, id, {
    resourceArn,
    webAclArn: stack.wiring.consume(stack, 'edge', WEB_ACL_ARN_KEY),
  });
}
