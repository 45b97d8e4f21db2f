import { Duration, aws_ec2 as ec2, aws_elasticloadbalancingv2 as elbv2, aws_s3 as s3 } from 'aws-cdk-lib';
import { acknowledge } from '../acknowledge.js';
import { dataRemovalPolicy } from '../removal.js';
import type { Spec3Stack } from '../spec3-stack.js';
import type { ServiceNetwork } from './network.js';

/**
 * The internet-facing Application Load Balancer of the service, with an HTTP listener on port 80
 * and access logs in a bucket of its own. HTTP only: HTTPS needs an ACM certificate for a domain,
 * which the config does not name.
 */
export function serviceLoadBalancer(stack: Spec3Stack, network: ServiceNetwork): {
  readonly alb: elbv2.ApplicationLoadBalancer;
  readonly listener: elbv2.ApplicationListener;
} {
  const { stage } = stack;
  const securityGroup = new ec2.SecurityGroup(stack, 'LoadBalancerSecurityGroup', {
    vpc: network.vpc,
    description: 'Load balancer of the service: HTTP from the internet, out only to the tasks',
    // Egress is added per target (the tasks' port) when the service registers.
    allowAllOutbound: false,
  });
  securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP from the internet');
  acknowledge(securityGroup, {
    id: 'AwsSolutions-EC23',
    reason: 'An internet-facing load balancer serves the public on port 80 only; stages with waf filter requests with the web ACL.',
  });

  const alb = new elbv2.ApplicationLoadBalancer(stack, 'LoadBalancer', {
    vpc: network.vpc,
    internetFacing: true,
    vpcSubnets: network.loadBalancerSubnets,
    securityGroup,
    dropInvalidHeaderFields: true,
    // No deletion protection even in protected stages: the stack's termination protection and
    // destroy's typed confirmation already guard it, and a protected ALB would make destroy fail.
    deletionProtection: false,
  });

  // Load balancers deliver access logs only to buckets with S3-managed keys, not KMS.
  const logs = new s3.Bucket(stack, 'LoadBalancerLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    removalPolicy: dataRemovalPolicy(stage),
    lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(stage.logRetentionDays) }],
  });
  acknowledge(logs, {
    id: 'AwsSolutions-S1',
    reason: 'This bucket receives the load balancer access logs; logging requests to it as well would only log the log delivery.',
  });
  alb.logAccessLogs(logs, 'alb');

  const listener = alb.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP, open: false });
  return { alb, listener };
}
