import { Fn, aws_ec2 as ec2, aws_logs as logs } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { prefix } from '../naming.js';
import { dataRemovalPolicy } from '../removal.js';
import type { StackHandles } from '../handles.js';
import { Spec3Stack, type StackInput } from '../spec3-stack.js';

/**
 * Phase foundation. A VPC over the stage's availability zones with NAT gateways per stage: with
 * none (dev by default) the private subnets are isolated, and the S3 / DynamoDB gateway endpoints
 * still give them the two data services at no hourly cost.
 */
export class NetworkStack extends Spec3Stack {
  readonly vpc: ec2.Vpc;
  readonly handles: StackHandles['network'];

  constructor(scope: Construct, input: StackInput) {
    super(scope, 'network', input, 'VPC, subnets, NAT gateways and gateway endpoints');
    const { stage } = input;
    const privateType = stage.natGateways > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED;
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: `${prefix({ project: stage.project, stage: stage.name })}-vpc`,
      ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
      maxAzs: stage.azs,
      natGateways: stage.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: privateType, cidrMask: 22 },
      ],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
      // The restriction is a Lambda-backed custom resource; the default group is left unused instead.
      restrictDefaultSecurityGroup: false,
    });
    // Flow logs: who talked to what inside the VPC, for incident investigation. Kept as long as
    // the stage keeps its function logs.
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      logGroupName: `/spec3/${stage.project}/${stage.name}/vpc-flow-logs`,
      retention: stage.logRetentionDays as logs.RetentionDays,
      removalPolicy: dataRemovalPolicy(stage),
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    const privateSubnets = this.vpc.selectSubnets({ subnetType: privateType }).subnetIds;
    this.wiring.publish(this, 'vpc-id', this.vpc.vpcId);
    this.wiring.publish(this, 'private-subnet-ids', Fn.join(',', privateSubnets));
    // The container service's load balancer (and its tasks in stages without NAT) sit in these.
    this.wiring.publish(this, 'public-subnet-ids', Fn.join(',', this.vpc.publicSubnets.map((s) => s.subnetId)));
    // Data services (search endpoint, graph cluster) admit traffic from inside the VPC only.
    this.wiring.publish(this, 'vpc-cidr', this.vpc.vpcCidrBlock);
    this.handles = { vpc: this.vpc, flowLogs };
  }
}
