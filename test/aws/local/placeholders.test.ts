import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { DeleteStackCommand, ListStackResourcesCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { inject, describe, expect, it } from 'vitest';
import { awsEnv } from '../../helpers/local-aws.js';
import { outcome, SERVER_CRASH, useMotoPair, type Aws } from './moto-pair.js';

/**
 * local/patches/placeholders.py (stand-ins for the types moto's CloudFormation lacks), and the fixes
 * of the ELBv2 and ECS types a Fargate service behind a load balancer is made of
 * (elbv2_settings.py, ecs_settings.py): the bug on moto as installed, then the patched server.
 */
const { stock, patched } = useMotoPair();

const getAtt = (resource: string, attribute: string) => ({ 'Fn::GetAtt': [resource, attribute] });
const ref = (resource: string) => ({ Ref: resource });

/** One resource of every stood-in type, the way spec3's optional features declare them. */
function standIns(names: { collection: string; description: string }) {
  return {
    Acl: {
      Type: 'AWS::WAFv2::WebACL',
      Properties: {
        Name: 'orders-acl',
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'orders' },
        Description: names.description,
      },
    },
    AclAssociation: {
      Type: 'AWS::WAFv2::WebACLAssociation',
      Properties: { ResourceArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/orders/0123456789abcdef', WebACLArn: getAtt('Acl', 'Arn') },
    },
    AclLogging: {
      Type: 'AWS::WAFv2::LoggingConfiguration',
      Properties: { ResourceArn: getAtt('Acl', 'Arn'), LogDestinationConfigs: ['arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-orders'] },
    },
    Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { GenerateSecretString: { PasswordLength: 32, ExcludePunctuation: true } } },
    DeployApp: { Type: 'AWS::CodeDeploy::Application', Properties: { ComputePlatform: 'Lambda' } },
    DeployGroup: {
      Type: 'AWS::CodeDeploy::DeploymentGroup',
      Properties: {
        ApplicationName: ref('DeployApp'),
        ServiceRoleArn: 'arn:aws:iam::123456789012:role/codedeploy',
        DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      },
    },
    GitHub: {
      Type: 'AWS::IAM::OIDCProvider',
      Properties: { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] },
    },
    ScalingTarget: {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      Properties: { ServiceNamespace: 'ecs', ScalableDimension: 'ecs:service:DesiredCount', ResourceId: 'service/orders/web', MinCapacity: 1, MaxCapacity: 3 },
    },
    ScalingPolicy: {
      Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
      Properties: {
        PolicyName: 'cpu',
        PolicyType: 'TargetTrackingScaling',
        ScalingTargetId: ref('ScalingTarget'),
        TargetTrackingScalingPolicyConfiguration: { TargetValue: 60, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
      },
    },
    Search: { Type: 'AWS::OpenSearchServerless::Collection', Properties: { Name: names.collection, Type: 'SEARCH', Description: names.description } },
    SearchEncryption: { Type: 'AWS::OpenSearchServerless::SecurityPolicy', Properties: { Name: 'orders-enc', Type: 'encryption', Policy: '{}' } },
    SearchAccess: { Type: 'AWS::OpenSearchServerless::AccessPolicy', Properties: { Name: 'orders-access', Type: 'data', Policy: '[]' } },
    SearchEndpoint: {
      Type: 'AWS::OpenSearchServerless::VpcEndpoint',
      Properties: { Name: 'orders-vpce', VpcId: 'vpc-0123456789abcdef0', SubnetIds: ['subnet-0123456789abcdef0'] },
    },
    GraphSubnets: { Type: 'AWS::Neptune::DBSubnetGroup', Properties: { DBSubnetGroupDescription: 'graph', SubnetIds: ['subnet-0123456789abcdef0'] } },
    Graph: { Type: 'AWS::Neptune::DBCluster', Properties: { StorageEncrypted: true, DBSubnetGroupName: ref('GraphSubnets') } },
    GraphInstance: { Type: 'AWS::Neptune::DBInstance', Properties: { DBClusterIdentifier: ref('Graph'), DBInstanceClass: 'db.t3.medium' } },
    Egress: {
      Type: 'AWS::EC2::SecurityGroupEgress',
      Properties: { GroupId: 'sg-0123456789abcdef0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' },
    },
  };
}

/** Every Ref and GetAtt of the stand-ins, as template values. */
const wiring = {
  AclArn: getAtt('Acl', 'Arn'),
  AclId: getAtt('Acl', 'Id'),
  AclRef: ref('Acl'),
  AclAssociation: ref('AclAssociation'),
  AclLogging: ref('AclLogging'),
  Secret: ref('Secret'),
  DeployApp: ref('DeployApp'),
  DeployGroup: ref('DeployGroup'),
  GitHub: ref('GitHub'),
  ScalingTarget: ref('ScalingTarget'),
  ScalingPolicy: ref('ScalingPolicy'),
  SearchArn: getAtt('Search', 'Arn'),
  SearchEndpoint: getAtt('Search', 'CollectionEndpoint'),
  SearchDashboards: getAtt('Search', 'DashboardEndpoint'),
  SearchId: getAtt('Search', 'Id'),
  SearchEncryption: ref('SearchEncryption'),
  SearchAccess: ref('SearchAccess'),
  SearchVpcEndpoint: ref('SearchEndpoint'),
  GraphEndpoint: getAtt('Graph', 'Endpoint'),
  GraphReadEndpoint: getAtt('Graph', 'ReadEndpoint'),
  GraphPort: getAtt('Graph', 'Port'),
  GraphResourceId: getAtt('Graph', 'ClusterResourceId'),
  GraphInstance: getAtt('GraphInstance', 'Endpoint'),
  GraphSubnets: ref('GraphSubnets'),
  Egress: ref('Egress'),
};

/** The stand-ins, each value also carried by an SSM parameter, as spec3 wires values across phases. */
function wiredTemplate(names = { collection: 'orders-search', description: 'first' }) {
  const parameters = Object.fromEntries(
    Object.entries(wiring).map(([key, value]) => [
      `${key}Parameter`,
      { Type: 'AWS::SSM::Parameter', Properties: { Name: `/spec3/orders/dev/${key}`, Type: 'String', Value: value } },
    ]),
  );
  return {
    Resources: { ...standIns(names), ...parameters },
    Outputs: Object.fromEntries(Object.entries(wiring).map(([key, value]) => [key, { Value: value }])),
  };
}

const ARN = (service: string, rest: string) => `arn:aws:${service}:us-east-1:123456789012:${rest}`;
const expectedShapes = {
  AclArn: new RegExp(`^${ARN('wafv2', 'regional/webacl/orders-acl/')}[0-9a-f-]{36}$`),
  AclId: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  AclRef: /^orders-acl\|[0-9a-f-]{36}\|REGIONAL$/,
  AclAssociation: /^arn:aws:elasticloadbalancing:.+\|arn:aws:wafv2:.+$/,
  AclLogging: new RegExp(`^${ARN('wafv2', 'regional/webacl/orders-acl/')}`),
  Secret: new RegExp(`^${ARN('secretsmanager', 'secret:stand-ins-Secret-')}[A-Z0-9]+-[A-Za-z0-9]{6}$`),
  DeployApp: /^stand-ins-DeployApp-[A-Z0-9]+$/,
  DeployGroup: /^stand-ins-DeployGroup-[A-Z0-9]+$/,
  GitHub: /^arn:aws:iam::123456789012:oidc-provider\/token\.actions\.githubusercontent\.com$/,
  ScalingTarget: /^service\/orders\/web\|ecs:service:DesiredCount\|ecs$/,
  ScalingPolicy: new RegExp(`^${ARN('autoscaling', 'scalingPolicy:')}[0-9a-f-]{36}:resource/ecs/service/orders/web:policyName/cpu$`),
  SearchArn: new RegExp(`^${ARN('aoss', 'collection/')}[a-z0-9]{20}$`),
  SearchEndpoint: /^https:\/\/[a-z0-9]{20}\.us-east-1\.aoss\.amazonaws\.com$/,
  SearchDashboards: /^https:\/\/[a-z0-9]{20}\.us-east-1\.aoss\.amazonaws\.com\/_dashboards$/,
  SearchId: /^[a-z0-9]{20}$/,
  SearchEncryption: /^encryption\|orders-enc$/,
  SearchAccess: /^data\|orders-access$/,
  SearchVpcEndpoint: /^vpce-[0-9a-f]{17}$/,
  GraphEndpoint: /^stand-ins-graph-[a-z0-9]+\.cluster-[a-z0-9]{12}\.us-east-1\.neptune\.amazonaws\.com$/,
  GraphReadEndpoint: /^stand-ins-graph-[a-z0-9]+\.cluster-ro-[a-z0-9]{12}\.us-east-1\.neptune\.amazonaws\.com$/,
  GraphPort: /^8182$/,
  GraphResourceId: /^cluster-[A-Z0-9]{26}$/,
  GraphInstance: /^stand-ins-graphinstance-[a-z0-9]+\.[a-z0-9]{12}\.us-east-1\.neptune\.amazonaws\.com$/,
  GraphSubnets: /^stand-ins-graphsubnets-[a-z0-9]+$/,
  Egress: /^sgr-[0-9a-f]{17}$/,
};

async function parameter(aws: Aws, key: string): Promise<string | undefined> {
  return (await aws.ssm.send(new GetParameterCommand({ Name: `/spec3/orders/dev/${key}` }))).Parameter?.Value;
}

async function physicalIds(aws: Aws, stack: string): Promise<Record<string, string | undefined>> {
  const out = await aws.cfn.send(new ListStackResourcesCommand({ StackName: stack }));
  return Object.fromEntries((out.StackResourceSummaries ?? []).map((r) => [r.LogicalResourceId!, r.PhysicalResourceId]));
}

describe('placeholders', () => {
  it('stock moto: a Ref to a type it lacks resolves to nothing, a GetAtt on one fails the stack', async () => {
    const secretInParameter = {
      Resources: {
        Secret: standIns({ collection: 'orders-search', description: 'first' }).Secret,
        SecretParameter: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/spec3/orders/dev/Secret', Type: 'String', Value: ref('Secret') } },
      },
    };
    expect(await outcome(stock().createStack('stand-ins', secretInParameter))).toMatchObject({
      ok: false,
      status: 400,
      message: expect.stringContaining("Value '' at 'value' failed to satisfy constraint"),
    });
    expect(await outcome(stock().createStack('wired', wiredTemplate()))).toMatchObject(SERVER_CRASH);
  });

  it('every Ref and GetAtt resolves, in the real formats, into parameters and outputs', async () => {
    await patched().createStack('stand-ins', wiredTemplate());
    expect((await patched().stack('stand-ins')).StackStatus).toBe('CREATE_COMPLETE');
    const outputs = await patched().outputs('stand-ins');
    for (const [key, shape] of Object.entries(expectedShapes)) {
      expect(outputs[key], key).toMatch(shape);
      expect(await parameter(patched(), key), key).toBe(outputs[key]);
    }
    // Values that name each other agree: the collection's endpoint and ARN carry its Id, the
    // association and logging the web ACL's ARN, the cluster's endpoints its Ref.
    expect(outputs.SearchEndpoint).toContain(outputs.SearchId);
    expect(outputs.SearchArn!.endsWith(`/${outputs.SearchId}`)).toBe(true);
    expect(outputs.AclLogging).toBe(outputs.AclArn);
    expect(outputs.AclAssociation!.endsWith(`|${outputs.AclArn}`)).toBe(true);
    expect(outputs.GraphReadEndpoint).toBe(outputs.GraphEndpoint!.replace('.cluster-', '.cluster-ro-'));
    const ids = await physicalIds(patched(), 'stand-ins');
    expect(ids.Secret).toBe(outputs.Secret);
    expect(ids.Search).toBe(outputs.SearchId);
  });

  it('an update keeps a stand-in whose create-only properties are unchanged, and replaces one whose are', async () => {
    await patched().createStack('stand-ins', wiredTemplate());
    const before = await patched().outputs('stand-ins');
    const renamed = wiredTemplate({ collection: 'orders-search-2', description: 'second' });
    await patched().cfn.send(new UpdateStackCommand({ StackName: 'stand-ins', TemplateBody: JSON.stringify(renamed) }));
    expect((await patched().stack('stand-ins')).StackStatus).toBe('UPDATE_COMPLETE');
    const after = await patched().outputs('stand-ins');
    // The web ACL's Description changed, which AWS updates in place: same Id, same ARN.
    expect(after.AclId).toBe(before.AclId);
    expect(after.AclArn).toBe(before.AclArn);
    // The collection's Name changed, which replaces it: a new Id, and its endpoint follows.
    expect(after.SearchId).not.toBe(before.SearchId);
    expect(after.SearchEndpoint).toBe(`https://${after.SearchId}.us-east-1.aoss.amazonaws.com`);
    expect(await parameter(patched(), 'SearchEndpoint')).toBe(after.SearchEndpoint);
    expect(after.Secret).toBe(before.Secret);
  });

  it('a stand-in goes with its stack', async () => {
    await patched().createStack('stand-ins', wiredTemplate());
    await patched().cfn.send(new DeleteStackCommand({ StackName: 'stand-ins' }));
    expect(await patched().liveStacks()).toEqual([]);
  });

  it('the stand-ins a stack created are forgotten when it is deleted, and each one is announced', () => {
    // In one process, so the registry of live stand-ins can be looked at.
    const script = `
import io, json, sys, contextlib
sys.path.insert(0, sys.argv[1])
import boto3
from moto import mock_aws
from patches import apply_all
from patches.placeholders import LIVE
apply_all("5.2.1")
template = json.loads(sys.argv[2])
err = io.StringIO()
with mock_aws(), contextlib.redirect_stderr(err):
    cfn = boto3.client("cloudformation", region_name="us-east-1")
    cfn.create_stack(StackName="stand-ins", TemplateBody=json.dumps(template))
    created = len(LIVE)
    cfn.delete_stack(StackName="stand-ins")
    print(json.dumps({"created": created, "left": len(LIVE), "announced": [l for l in err.getvalue().splitlines() if "placeholder for" in l]}))
`;
    const out = execFileSync('python3', ['-c', script, path.join(process.cwd(), 'local'), JSON.stringify(wiredTemplate())], { encoding: 'utf8' });
    const { created, left, announced } = JSON.parse(out.trim().split('\n').pop()!) as { created: number; left: number; announced: string[] };
    const count = Object.keys(standIns({ collection: 'x', description: 'x' })).length;
    expect(created).toBe(count);
    expect(left).toBe(0);
    expect(announced).toHaveLength(count);
    expect(announced).toContain('spec3 local AWS: placeholder for AWS::Neptune::DBCluster Graph: not emulated');
  });
});

/** A Fargate service behind an ALB, with access logs, a secret, Container Insights and a CPU-scaled target. */
const fargateBehindAlb = {
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    SubnetA: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: ref('Vpc'), CidrBlock: '10.0.0.0/24', AvailabilityZone: 'us-east-1a' } },
    SubnetB: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: ref('Vpc'), CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1b' } },
    LbGroup: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'load balancer', VpcId: ref('Vpc') } },
    ServiceGroup: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'service', VpcId: ref('Vpc') } },
    LbToService: {
      Type: 'AWS::EC2::SecurityGroupEgress',
      Properties: { GroupId: getAtt('LbGroup', 'GroupId'), IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, DestinationSecurityGroupId: getAtt('ServiceGroup', 'GroupId') },
    },
    ServiceFromLb: {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: { GroupId: getAtt('ServiceGroup', 'GroupId'), IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: getAtt('LbGroup', 'GroupId') },
    },
    AccessLogs: { Type: 'AWS::S3::Bucket' },
    Lb: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: {
        Type: 'application',
        Scheme: 'internet-facing',
        Subnets: [ref('SubnetA'), ref('SubnetB')],
        SecurityGroups: [getAtt('LbGroup', 'GroupId')],
        LoadBalancerAttributes: [
          { Key: 'access_logs.s3.enabled', Value: 'true' },
          { Key: 'access_logs.s3.bucket', Value: ref('AccessLogs') },
          { Key: 'access_logs.s3.prefix', Value: 'alb' },
          { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        ],
      },
    },
    Targets: {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: {
        Port: 8080,
        Protocol: 'HTTP',
        TargetType: 'ip',
        VpcId: ref('Vpc'),
        HealthCheckPath: '/health',
        TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
      },
    },
    Listener: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: { LoadBalancerArn: ref('Lb'), Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: ref('Targets') }] },
    },
    Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { GenerateSecretString: { PasswordLength: 32 } } },
    Cluster: { Type: 'AWS::ECS::Cluster', Properties: { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] } },
    Task: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        Family: 'orders-web',
        Cpu: '256',
        Memory: '512',
        NetworkMode: 'awsvpc',
        RequiresCompatibilities: ['FARGATE'],
        ExecutionRoleArn: 'arn:aws:iam::123456789012:role/orders-execution',
        TaskRoleArn: 'arn:aws:iam::123456789012:role/orders-task',
        ContainerDefinitions: [
          {
            Name: 'web',
            Image: 'public.ecr.aws/nginx/nginx:latest',
            Essential: true,
            PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }],
            Secrets: [{ Name: 'DB_PASSWORD', ValueFrom: ref('Secret') }],
            Environment: [{ Name: 'STAGE', Value: 'dev' }],
          },
          { Name: 'xray', Image: 'public.ecr.aws/xray/aws-xray-daemon:latest', Essential: false, PortMappings: [{ ContainerPort: 2000, Protocol: 'udp' }] },
        ],
      },
    },
    Service: {
      Type: 'AWS::ECS::Service',
      DependsOn: ['Listener'],
      Properties: {
        Cluster: ref('Cluster'),
        TaskDefinition: ref('Task'),
        DesiredCount: 1,
        LaunchType: 'FARGATE',
        HealthCheckGracePeriodSeconds: 60,
        NetworkConfiguration: {
          AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: [ref('SubnetA'), ref('SubnetB')], SecurityGroups: [getAtt('ServiceGroup', 'GroupId')] },
        },
        LoadBalancers: [{ ContainerName: 'web', ContainerPort: 8080, TargetGroupArn: ref('Targets') }],
      },
    },
    Scaling: {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      Properties: {
        ServiceNamespace: 'ecs',
        ScalableDimension: 'ecs:service:DesiredCount',
        ResourceId: { 'Fn::Join': ['/', ['service', ref('Cluster'), getAtt('Service', 'Name')]] },
        MinCapacity: 1,
        MaxCapacity: 3,
      },
    },
    TargetsFullName: {
      Type: 'AWS::SSM::Parameter',
      Properties: { Name: '/spec3/orders/dev/targets', Type: 'String', Value: getAtt('Targets', 'TargetGroupFullName') },
    },
  },
  Outputs: {
    TargetGroupFullName: { Value: getAtt('Targets', 'TargetGroupFullName') },
    LoadBalancerFullName: { Value: getAtt('Lb', 'LoadBalancerFullName') },
    ServiceArn: { Value: getAtt('Service', 'ServiceArn') },
    TaskDefinitionArn: { Value: getAtt('Task', 'TaskDefinitionArn') },
    Scaling: { Value: ref('Scaling') },
  },
};

/** The AWS CLI against the patched server, for the services the suite has no SDK client of. */
function cli(...args: string[]): Record<string, unknown> {
  const env = { ...process.env, ...awsEnv(inject('localAwsEndpoint')), AWS_DEFAULT_REGION: 'us-east-1' };
  return JSON.parse(execFileSync('aws', [...args, '--output', 'json'], { encoding: 'utf8', env })) as Record<string, unknown>;
}

describe('elbv2_settings and ecs_settings', () => {
  it('stock moto: GetAtt ServiceArn, TargetGroupFullName fail the stack; LoadBalancerFullName is left unresolved', async () => {
    const outputs = (...keys: string[]) => Object.fromEntries(Object.entries(fargateBehindAlb.Outputs).filter(([key]) => keys.includes(key)));
    expect(await outcome(stock().createStack('web', fargateBehindAlb))).toMatchObject({
      ok: false,
      status: 400,
      message: 'Template error: resource Service does not support attribute type ServiceArn in Fn::GetAtt',
    });
    expect(await outcome(stock().createStack('web', { ...fargateBehindAlb, Outputs: outputs('TargetGroupFullName') }))).toMatchObject(SERVER_CRASH);
    const resources = Object.fromEntries(Object.entries(fargateBehindAlb.Resources).filter(([key]) => key !== 'TargetsFullName'));
    await stock().createStack('lb', { Resources: resources, Outputs: outputs('LoadBalancerFullName') });
    expect(await stock().outputs('lb')).toEqual({ LoadBalancerFullName: "{'Fn::GetAtt': ['Lb', 'LoadBalancerFullName']}" });
  });

  it('a Fargate service behind an ALB deploys, with its settings and the full names CloudWatch metrics use', async () => {
    await patched().createStack('web', fargateBehindAlb);
    expect((await patched().stack('web')).StackStatus).toBe('CREATE_COMPLETE');
    const outputs = await patched().outputs('web');
    expect(outputs).toEqual({
      TargetGroupFullName: expect.stringMatching(/^targetgroup\/web-Targets-[A-Z0-9]+\/[0-9a-f]{16}$/),
      LoadBalancerFullName: expect.stringMatching(/^app\/web-Lb-[A-Z0-9]+\/[0-9a-f]{16}$/),
      ServiceArn: expect.stringMatching(/^arn:aws:ecs:us-east-1:123456789012:service\/web-Cluster-[A-Z0-9]+\/web-Service-[A-Z0-9]+$/),
      TaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/orders-web:1',
      Scaling: expect.stringMatching(/^service\/web-Cluster-[A-Z0-9]+\/web-Service-[A-Z0-9]+\|ecs:service:DesiredCount\|ecs$/),
    });
    expect(await patched().ssm.send(new GetParameterCommand({ Name: '/spec3/orders/dev/targets' }))).toMatchObject({
      Parameter: { Value: outputs.TargetGroupFullName },
    });

    const ids = await physicalIds(patched(), 'web');
    const lbAttributes = cli('elbv2', 'describe-load-balancer-attributes', '--load-balancer-arn', ids.Lb!).Attributes as { Key: string; Value: string }[];
    expect(lbAttributes).toEqual(
      expect.arrayContaining([
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.bucket', Value: ids.AccessLogs },
        { Key: 'access_logs.s3.prefix', Value: 'alb' },
      ]),
    );
    const cluster = (cli('ecs', 'describe-clusters', '--clusters', ids.Cluster!).clusters as { settings: unknown }[])[0]!;
    expect(cluster.settings).toEqual([{ name: 'containerInsights', value: 'enabled' }]);
    const task = cli('ecs', 'describe-task-definition', '--task-definition', outputs.TaskDefinitionArn!).taskDefinition as Record<string, unknown>;
    expect(task).toMatchObject({ cpu: '256', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'] });
    expect(task.containerDefinitions).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'web', secrets: [{ name: 'DB_PASSWORD', valueFrom: expect.stringMatching(/^arn:aws:secretsmanager:/) }] })]),
    );
    const service = (cli('ecs', 'describe-services', '--cluster', ids.Cluster!, '--services', outputs.ServiceArn!).services as Record<string, unknown>[])[0]!;
    expect(service).toMatchObject({ launchType: 'FARGATE', loadBalancers: [{ containerName: 'web', containerPort: 8080, targetGroupArn: ids.Targets }] });
  });

  it('the target group goes with its stack', async () => {
    await patched().createStack('web', fargateBehindAlb);
    const ids = await physicalIds(patched(), 'web');
    await patched().cfn.send(new DeleteStackCommand({ StackName: 'web' }));
    const groups = cli('elbv2', 'describe-target-groups').TargetGroups as { TargetGroupArn: string }[];
    expect(groups.map((g) => g.TargetGroupArn)).not.toContain(ids.Targets);
  });
});

describe('update_dependents', () => {
  it('a resource that names a replaced one is updated with its new values', async () => {
    // A renamed topic is a new topic (moto replaces it too), so its ARN changes.
    const topic = (name: string) => ({
      Resources: {
        Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: name } },
        TopicArn: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/spec3/orders/dev/TopicArn', Type: 'String', Value: ref('Topic') } },
      },
    });
    const rename = (aws: Aws) => aws.cfn.send(new UpdateStackCommand({ StackName: 'alerts', TemplateBody: JSON.stringify(topic('alerts-2')) }));
    for (const aws of [stock(), patched()]) {
      await aws.createStack('alerts', topic('alerts-1'));
      await rename(aws);
    }
    expect(await parameter(stock(), 'TopicArn')).toBe('arn:aws:sns:us-east-1:123456789012:alerts-1');
    expect(await parameter(patched(), 'TopicArn')).toBe('arn:aws:sns:us-east-1:123456789012:alerts-2');
  });
});
