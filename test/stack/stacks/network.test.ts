import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { sampleConfig } from '../../helpers/project.js';
import { onlyResource, resourcesOf, useStages, type BuiltStage } from '../build.js';

const built = useStages(['dev', 'staging', 'prod'] as const);

/** Subnets of the VPC by the type CDK tags them with (Public, Private, Isolated). */
function subnetsByType(b: BuiltStage): Record<string, { az: string; cidr: string }[]> {
  const out: Record<string, { az: string; cidr: string }[]> = {};
  for (const subnet of Object.values(resourcesOf(b.template('network'), 'AWS::EC2::Subnet'))) {
    const tags = subnet.Properties!.Tags as { Key: string; Value: string }[];
    const type = tags.find((t) => t.Key === 'aws-cdk:subnet-type')!.Value;
    (out[type] ??= []).push({ az: subnet.Properties!.AvailabilityZone, cidr: subnet.Properties!.CidrBlock });
  }
  return out;
}

describe('network stack', () => {
  it('creates one VPC with the 10.0.0.0/16 CIDR, named after the stage', () => {
    for (const name of ['dev', 'staging', 'prod'] as const) {
      const template = built[name].template('network');
      template.resourceCountIs('AWS::EC2::VPC', 1);
      template.hasResourceProperties('AWS::EC2::VPC', {
        CidrBlock: '10.0.0.0/16',
        EnableDnsHostnames: true,
        EnableDnsSupport: true,
        Tags: Match.arrayWith([{ Key: 'Name', Value: `orders-${name}-vpc` }]),
      });
    }
  });

  it('dev: a /24 public and a /22 isolated subnet in each of its 2 AZs, and no NAT gateway', () => {
    const template = built.dev.template('network');
    expect(subnetsByType(built.dev)).toEqual({
      Public: [
        { az: 'us-east-1a', cidr: '10.0.0.0/24' },
        { az: 'us-east-1b', cidr: '10.0.1.0/24' },
      ],
      Isolated: [
        { az: 'us-east-1a', cidr: '10.0.4.0/22' },
        { az: 'us-east-1b', cidr: '10.0.8.0/22' },
      ],
    });
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    // Isolated subnets have no route to the internet: only the 2 public default routes exist.
    template.resourceCountIs('AWS::EC2::Route', 2);
  });

  it('staging: private subnets with egress in 2 AZs through 1 NAT gateway', () => {
    const template = built.staging.template('network');
    const subnets = subnetsByType(built.staging);
    expect(Object.keys(subnets).sort()).toEqual(['Private', 'Public']);
    expect(subnets.Public).toHaveLength(2);
    expect(subnets.Private).toHaveLength(2);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    // Both private route tables default to the one NAT gateway.
    template.resourcePropertiesCountIs('AWS::EC2::Route', { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: Match.anyValue() }, 2);
  });

  it('prod: public and private subnets in 3 AZs with a NAT gateway in each', () => {
    const template = built.prod.template('network');
    const subnets = subnetsByType(built.prod);
    expect(subnets.Public!.map((s) => s.az)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(subnets.Private!.map((s) => s.az)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(subnets.Isolated).toBeUndefined();
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
    template.resourceCountIs('AWS::EC2::EIP', 3);
    template.resourcePropertiesCountIs('AWS::EC2::Route', { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: Match.anyValue() }, 3);
  });

  it('adds S3 and DynamoDB gateway endpoints routed from every private subnet', () => {
    for (const name of ['dev', 'prod'] as const) {
      const template = built[name].template('network');
      const privateRouteTables = Object.entries(resourcesOf(template, 'AWS::EC2::RouteTable'))
        .filter(([id]) => id.startsWith('Vpcprivate'))
        .map(([id]) => ({ Ref: id }));
      expect(privateRouteTables).toHaveLength(name === 'dev' ? 2 : 3);
      const endpoints = Object.values(resourcesOf(template, 'AWS::EC2::VPCEndpoint'));
      expect(endpoints).toHaveLength(2);
      for (const service of ['s3', 'dynamodb']) {
        template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
          VpcEndpointType: 'Gateway',
          ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${service}`]] },
          RouteTableIds: Match.arrayWith(privateRouteTables),
        });
      }
    }
  });

  it('publishes the VPC id and private subnet ids through SSM', () => {
    const template = built.dev.template('network');
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/spec3/orders/dev/network/vpc-id',
      Type: 'String',
      Value: { Ref: Match.stringLikeRegexp('^Vpc[0-9A-F]{8}$') },
    });
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/spec3/orders/dev/network/private-subnet-ids',
      Value: { 'Fn::Join': [',', [{ Ref: Match.stringLikeRegexp('^VpcprivateSubnet1') }, { Ref: Match.stringLikeRegexp('^VpcprivateSubnet2') }]] },
    });
  });
});

describe('network stack with configured availability zones', () => {
  const zoned = useStages(['dev'] as const, () =>
    sampleConfig({
      stages: { dev: { account: '123456789012', region: 'us-west-1', availabilityZones: ['us-west-1b', 'us-west-1c'] } },
    }),
  );

  it('places the subnets in the configured zones, not <region>a/b', () => {
    const azs = Object.values(resourcesOf(zoned.dev.template('network'), 'AWS::EC2::Subnet')).map((s) => s.Properties!.AvailabilityZone);
    expect(azs.sort()).toEqual(['us-west-1b', 'us-west-1b', 'us-west-1c', 'us-west-1c']);
  });
});

describe('network stack: flow logs', () => {
  it('logs all VPC traffic to a log group with the stage retention, through a role scoped to it', () => {
    for (const [stage, days] of [['dev', 7], ['prod', 365]] as const) {
      const template = built[stage].template('network');
      const group = onlyResource(template, 'AWS::Logs::LogGroup');
      expect(group.Properties).toMatchObject({ LogGroupName: `/spec3/orders/${stage}/vpc-flow-logs`, RetentionInDays: days });
      expect(group.DeletionPolicy).toBe(stage === 'prod' ? 'Retain' : 'Delete');
      const vpc = onlyResource(template, 'AWS::EC2::VPC');
      const flowLog = onlyResource(template, 'AWS::EC2::FlowLog');
      expect(flowLog.Properties).toMatchObject({
        ResourceId: { Ref: vpc.id },
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: { Ref: group.id },
      });
      const role = onlyResource(template, 'AWS::IAM::Role');
      expect(flowLog.Properties!.DeliverLogsPermissionArn).toEqual({ 'Fn::GetAtt': [role.id, 'Arn'] });
      expect(role.Properties!.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'vpc-flow-logs.amazonaws.com' });
    }
  });
});
