import { Fn, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Spec3Error } from '../../errors.js';
import { CONFIG_FILE } from '../../config/load.js';
import { availabilityZones } from '../azs.js';
import type { Spec3Stack } from '../spec3-stack.js';

/** The stage VPC as the service sees it, and where its tasks run. */
export interface ServiceNetwork {
  readonly vpc: ec2.IVpc;
  /** Subnets of the load balancer: always the public ones (it is internet-facing). */
  readonly loadBalancerSubnets: ec2.SubnetSelection;
  /** Subnets of the tasks. */
  readonly taskSubnets: ec2.SubnetSelection;
  /** Whether tasks get a public IP (only when they run in the public subnets). */
  readonly assignPublicIp: boolean;
}

/**
 * Imports the stage VPC from the values the network stack publishes (SSM, read at deploy time).
 * The subnet lists are split into as many ids as the stage has zones, which is how the network
 * stack lays them out: one public and one private subnet per zone.
 *
 * Where tasks run: with NAT gateways, in the private subnets (no public IP, egress through NAT).
 * With none (dev by default) the private subnets have no route out, so a task there could not pull
 * its image, fetch its secrets or ship its logs without five interface endpoints (ECR API, ECR
 * Docker, Secrets Manager, CloudWatch Logs, plus X-Ray) that cost more per hour than a NAT gateway
 * and still cannot reach a public registry. So such stages run tasks in the public subnets with
 * a public IP for egress; their security group still admits only the load balancer.
 */
export function serviceNetwork(stack: Spec3Stack): ServiceNetwork {
  const { stage, wiring } = stack;
  if (!wiring.has('network')) {
    throw new Spec3Error(
      'SERVICE_NEEDS_VPC',
      `${CONFIG_FILE}: features.service needs the stage VPC, but features.vpc is false.`,
      `Set "vpc": true under "features" in ${CONFIG_FILE}, or remove "service".`,
    );
  }
  const zones = availabilityZones(stage);
  const ids = (key: string) => Fn.split(',', wiring.consume(stack, 'network', key), zones.length);
  const withNat = stage.natGateways > 0;
  // Without NAT nothing of the service uses the (isolated) private subnets, so they are not read.
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: wiring.consume(stack, 'network', 'vpc-id'),
    availabilityZones: zones,
    publicSubnetIds: ids('public-subnet-ids'),
    ...(withNat ? { privateSubnetIds: ids('private-subnet-ids') } : {}),
  });
  const publicSubnets = { subnetType: ec2.SubnetType.PUBLIC };
  return {
    vpc,
    loadBalancerSubnets: publicSubnets,
    taskSubnets: withNat ? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } : publicSubnets,
    assignPublicIp: !withNat,
  };
}
