import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { resolveFunctions, resolveStage } from '../../../src/config/resolve.js';
import type { Spec3ConfigInput } from '../../../src/config/schema.js';
import { buildApp } from '../../../src/stack/app.js';
import { XRAY_DAEMON_IMAGE } from '../../../src/stack/stacks/service-stack.js';
import { sampleConfig } from '../../helpers/project.js';
import { onlyResource, resourcesOf, ssmRef, useFreshStages, useStages, valuesUnder, type BuiltStage, type CfnResource } from '../build.js';
import { nagFindings } from '../nag.js';
import { expectNoLintErrors } from '../lint.js';

const STAGES = ['dev', 'staging', 'prod'] as const;
type Stage = (typeof STAGES)[number];

const IMAGE = 'public.ecr.aws/nginx/nginx:1.27';

/** The sample project with a container service from a public image and one secret. */
function serviceConfig(service: Record<string, unknown> = {}): Spec3ConfigInput {
  return sampleConfig({
    features: {
      api: { type: 'rest' },
      vpc: true,
      service: { image: IMAGE, port: 80, healthCheckPath: '/', secrets: ['API_KEY'], ...service },
    },
  });
}

const built = useStages(STAGES, () => serviceConfig());
const traced = useStages(['dev'] as const, () => serviceConfig({ xray: true, environment: { LOG_LEVEL: 'debug' } }));
const fresh = useFreshStages();

const service = (stage: Stage) => built[stage].template('service');
const containers = (template: Template) =>
  onlyResource(template, 'AWS::ECS::TaskDefinition').Properties!.ContainerDefinitions as Record<string, any>[];
const app = (template: Template) => containers(template).find((c) => c.Name === 'app')!;

describe('service stack: cluster and task', () => {
  it('exists only when features.service is set, in phase app', () => {
    expect(built.dev.stack('service').phase).toBe('app');
    expect(built.dev.stack('service').stackName).toBe('orders-dev-service');
    expect(fresh('dev').stacks.map((s) => s.kind)).not.toContain('service');
  });

  it('creates a named ECS cluster with Container Insights on', () => {
    service('dev').hasResourceProperties('AWS::ECS::Cluster', {
      ClusterName: 'orders-dev-cluster',
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });

  it.each([
    ['dev', '256', '512', 1],
    ['staging', '256', '512', 2],
    ['prod', '1024', '2048', 3],
  ] as const)('%s: a Fargate task of %s CPU / %s MiB, %i task(s)', (stage, cpu, memory, count) => {
    service(stage).hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: `orders-${stage}-service`,
      Cpu: cpu,
      Memory: memory,
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['FARGATE'],
    });
    service(stage).hasResourceProperties('AWS::ECS::Service', {
      ServiceName: `orders-${stage}-service`,
      LaunchType: 'FARGATE',
      DesiredCount: count,
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
    });
  });

  it('runs the configured image on the configured port, with STAGE, PROJECT and the configured environment', () => {
    const container = app(service('dev'));
    expect(container).toMatchObject({ Image: IMAGE, Essential: true, PortMappings: [{ ContainerPort: 80, Protocol: 'tcp' }] });
    expect(container.Environment).toEqual([
      { Name: 'STAGE', Value: 'dev' },
      { Name: 'PROJECT', Value: 'orders' },
    ]);
    expect(app(traced.dev.template('service')).Environment).toEqual([
      { Name: 'STAGE', Value: 'dev' },
      { Name: 'PROJECT', Value: 'orders' },
      { Name: 'AWS_XRAY_DAEMON_ADDRESS', Value: 'localhost:2000' },
      { Name: 'LOG_LEVEL', Value: 'debug' },
    ]);
  });

  it.each([
    ['dev', 7, 'Delete'],
    ['prod', 365, 'Retain'],
  ] as const)('%s: logs to /spec3/orders/<stage>/service, kept %i days', (stage, days, policy) => {
    const group = onlyResource(service(stage), 'AWS::Logs::LogGroup');
    expect(group.Properties).toMatchObject({ LogGroupName: `/spec3/orders/${stage}/service`, RetentionInDays: days });
    expect(group.DeletionPolicy).toBe(policy);
    expect(app(service(stage)).LogConfiguration).toEqual({
      LogDriver: 'awslogs',
      Options: { 'awslogs-group': { Ref: group.id }, 'awslogs-stream-prefix': 'app', 'awslogs-region': 'us-east-1' },
    });
  });
});

describe('service stack: secrets', () => {
  it.each([
    ['dev', 'Delete'],
    ['prod', 'Retain'],
  ] as const)('%s: one Secrets Manager secret per name, generated and encrypted with the stage key', (stage, policy) => {
    const template = service(stage);
    const secret = onlyResource(template, 'AWS::SecretsManager::Secret');
    expect(secret.Properties).toMatchObject({
      Name: `orders/${stage}/service/API_KEY`,
      GenerateSecretString: { PasswordLength: 32, ExcludePunctuation: true },
      KmsKeyId: ssmRef(template, `/spec3/orders/${stage}/security/key-arn`),
    });
    expect(secret.DeletionPolicy).toBe(policy);
    expect(app(template).Secrets).toEqual([{ Name: 'API_KEY', ValueFrom: { Ref: secret.id } }]);
  });

  it('puts no secret value in the template', () => {
    for (const stage of STAGES) {
      const json = service(stage).toJSON();
      expect(valuesUnder(json, 'SecretString')).toEqual([]);
      expect(valuesUnder(json, 'SecretStringTemplate')).toEqual([]);
      // The only plain environment is the non-secret one.
      expect(app(service(stage)).Environment.map((e: { Name: string }) => e.Name)).not.toContain('API_KEY');
    }
  });

  it('lets the execution role read the secrets and decrypt them through Secrets Manager only', () => {
    const template = service('dev');
    const secret = onlyResource(template, 'AWS::SecretsManager::Secret');
    const task = onlyResource(template, 'AWS::ECS::TaskDefinition');
    const roleId = (task.Properties!.ExecutionRoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .filter((p) => (p.Properties!.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap((p) => p.Properties!.PolicyDocument.Statement as Record<string, any>[]);
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: secret.id } }),
    );
    expect(statements).toContainEqual({
      Sid: 'DecryptServiceSecrets',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: ssmRef(template, '/spec3/orders/dev/security/key-arn'),
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
    });
  });

  it('creates no secret and reads no key without secrets', () => {
    const template = fresh('dev', serviceConfig({ secrets: [] })).template('service');
    expect(resourcesOf(template, 'AWS::SecretsManager::Secret')).toEqual({});
    expect(JSON.stringify(template.toJSON())).not.toContain('security/key-arn');
  });
});

describe('service stack: X-Ray sidecar', () => {
  it('runs only the app container when xray is off', () => {
    expect(containers(service('dev')).map((c) => c.Name)).toEqual(['app']);
    expect(JSON.stringify(service('dev').toJSON())).not.toContain('xray:');
  });

  it('runs the X-Ray daemon beside the app when xray is on, and lets the task role send traces', () => {
    const template = traced.dev.template('service');
    const daemon = containers(template).find((c) => c.Name === 'xray-daemon');
    expect(daemon).toMatchObject({ Image: XRAY_DAEMON_IMAGE, Essential: false, PortMappings: [{ ContainerPort: 2000, Protocol: 'udp' }] });
    const task = onlyResource(template, 'AWS::ECS::TaskDefinition');
    const taskRole = (task.Properties!.TaskRoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: taskRole }],
      PolicyDocument: {
        Statement: [
          {
            Sid: 'XRayTraces',
            Effect: 'Allow',
            Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
            Resource: '*',
          },
        ],
      },
    });
  });
});

describe('service stack: load balancer and network', () => {
  it('puts an internet-facing ALB in the public subnets with access logs and a WAF-ready ARN', () => {
    const template = service('staging');
    const alb = onlyResource(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(alb.Properties).toMatchObject({ Scheme: 'internet-facing', Type: 'application' });
    expect(JSON.stringify(alb.Properties!.Subnets)).toContain(ssmRef(template, '/spec3/orders/staging/network/public-subnet-ids').Ref);
    const bucket = onlyResource(template, 'AWS::S3::Bucket');
    expect(alb.Properties!.LoadBalancerAttributes).toEqual(
      expect.arrayContaining([
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.bucket', Value: { Ref: bucket.id } },
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      ]),
    );
    expect(bucket.Properties!.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
  });

  it('checks the health of the tasks on healthCheckPath', () => {
    service('dev').hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/',
      Port: 80,
      Protocol: 'HTTP',
      TargetType: 'ip',
      VpcId: ssmRef(service('dev'), '/spec3/orders/dev/network/vpc-id'),
    });
    fresh('dev', serviceConfig({ healthCheckPath: '/health', port: 8080 })).template('service').hasResourceProperties(
      'AWS::ElasticLoadBalancingV2::TargetGroup',
      { HealthCheckPath: '/health', Port: 8080 },
    );
  });

  it('admits the internet to the ALB on port 80 only, and the tasks only from the ALB on the container port', () => {
    const template = service('dev');
    const groups = resourcesOf(template, 'AWS::EC2::SecurityGroup');
    const albGroup = Object.entries(groups).find(([id]) => id.startsWith('LoadBalancerSecurityGroup'))!;
    const taskGroup = Object.entries(groups).find(([id]) => id.startsWith('TaskSecurityGroup'))!;
    expect(albGroup[1].Properties!.SecurityGroupIngress).toEqual([
      { CidrIp: '0.0.0.0/0', Description: 'HTTP from the internet', FromPort: 80, IpProtocol: 'tcp', ToPort: 80 },
    ]);
    expect(taskGroup[1].Properties!.SecurityGroupIngress).toBeUndefined();
    const ingress = Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress'));
    expect(ingress.map((r) => r.Properties)).toEqual([
      expect.objectContaining({
        GroupId: { 'Fn::GetAtt': [taskGroup[0], 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [albGroup[0], 'GroupId'] },
        FromPort: 80,
        ToPort: 80,
        IpProtocol: 'tcp',
      }),
    ]);
    const egress = Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupEgress'));
    expect(egress.map((r) => r.Properties)).toEqual([
      expect.objectContaining({
        GroupId: { 'Fn::GetAtt': [albGroup[0], 'GroupId'] },
        DestinationSecurityGroupId: { 'Fn::GetAtt': [taskGroup[0], 'GroupId'] },
        FromPort: 80,
      }),
    ]);
  });

  it.each([
    ['dev', 'public-subnet-ids', 'ENABLED'],
    ['staging', 'private-subnet-ids', 'DISABLED'],
    ['prod', 'private-subnet-ids', 'DISABLED'],
  ] as const)('%s: tasks run in the %s (public IP %s)', (stage, key, publicIp) => {
    const template = service(stage);
    const config = onlyResource(template, 'AWS::ECS::Service').Properties!.NetworkConfiguration.AwsvpcConfiguration;
    expect(config.AssignPublicIp).toBe(publicIp);
    const ref = ssmRef(template, `/spec3/orders/${stage}/network/${key}`);
    const zones = stage === 'prod' ? 3 : 2;
    expect(config.Subnets).toEqual(Array.from({ length: zones }, (_, i) => ({ 'Fn::Select': [i, { 'Fn::Split': [',', ref] }] })));
  });

  it('network stack publishes the public subnet ids the service reads', () => {
    built.dev.template('network').hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/spec3/orders/dev/network/public-subnet-ids',
      Value: { 'Fn::Join': [',', [{ Ref: Match.stringLikeRegexp('^VpcpublicSubnet1') }, { Ref: Match.stringLikeRegexp('^VpcpublicSubnet2') }]] },
    });
  });

  it('refuses a service without the stage VPC, in the config and in the app', () => {
    const input = serviceConfig();
    const noVpc = { ...input, features: { ...input.features, vpc: false } };
    expect(() => parseConfig(JSON.stringify(noVpc))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('features.service') }));
    // An app built from features that skipped the config rules still gets a named error, not a dangling reference.
    const config = parseConfig(JSON.stringify(input));
    const stage = resolveStage(config, 'dev');
    const root = mkdtempSync(path.join(os.tmpdir(), 'spec3-service-novpc-'));
    try {
      expect(() =>
        buildApp({ stage, functions: [], features: { ...config.features, vpc: false }, assets: new Map(), outdir: path.join(root, 'out') }),
      ).toThrow(expect.objectContaining({ code: 'SERVICE_NEEDS_VPC', message: expect.stringContaining('features.vpc') }));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('attaches the stage web ACL to the ALB in prod only', () => {
    const association = onlyResource(service('prod'), 'AWS::WAFv2::WebACLAssociation');
    const alb = onlyResource(service('prod'), 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(association.Properties).toEqual({
      ResourceArn: { Ref: alb.id },
      WebACLArn: ssmRef(service('prod'), '/spec3/orders/prod/edge/web-acl-arn'),
    });
    expect(resourcesOf(service('dev'), 'AWS::WAFv2::WebACLAssociation')).toEqual({});
  });
});

describe('service stack: auto scaling', () => {
  it.each([
    ['dev', 1, 2],
    ['staging', 2, 4],
    ['prod', 3, 10],
  ] as const)('%s: tracks 70%% CPU between %i and %i tasks', (stage, min, max) => {
    const template = service(stage);
    const target = onlyResource(template, 'AWS::ApplicationAutoScaling::ScalableTarget');
    expect(target.Properties).toMatchObject({ MinCapacity: min, MaxCapacity: max, ScalableDimension: 'ecs:service:DesiredCount', ServiceNamespace: 'ecs' });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      ScalingTargetId: { Ref: target.id },
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 70,
      },
    });
  });
});

describe('service stack: wiring', () => {
  it('publishes the load balancer, target group, cluster, service and URL for monitoring', () => {
    const template = service('dev');
    const param = (key: string) => {
      const found = Object.values(resourcesOf(template, 'AWS::SSM::Parameter', { Name: `/spec3/orders/dev/service/${key}` }));
      expect(found, key).toHaveLength(1);
      return (found[0] as CfnResource).Properties!.Value;
    };
    const alb = onlyResource(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').id;
    const group = onlyResource(template, 'AWS::ElasticLoadBalancingV2::TargetGroup').id;
    expect(param('alb-full-name')).toEqual({ 'Fn::GetAtt': [alb, 'LoadBalancerFullName'] });
    expect(param('target-group-full-name')).toEqual({ 'Fn::GetAtt': [group, 'TargetGroupFullName'] });
    expect(param('cluster-name')).toEqual({ Ref: onlyResource(template, 'AWS::ECS::Cluster').id });
    expect(param('service-name')).toEqual({ 'Fn::GetAtt': [onlyResource(template, 'AWS::ECS::Service').id, 'Name'] });
    expect(param('url')).toEqual({ 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [alb, 'DNSName'] }]] });
  });
});

/** The dev stage of the sample project with a service built from a Dockerfile directory (a temp dir). */
function useSourceStage(): { template: () => Template; manifest: () => { dockerImages: Record<string, { source: { directory: string; platform?: string } }> }; app: () => BuiltStage } {
  let root = '';
  let stage: BuiltStage | undefined;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'spec3-service-source-'));
    const source = path.join(root, 'service');
    mkdirSync(source);
    writeFileSync(path.join(source, 'Dockerfile'), 'FROM public.ecr.aws/nginx/nginx:1.27\n');
    const config = parseConfig(JSON.stringify(serviceConfig({ image: undefined, source: 'service' })));
    const resolved = resolveStage(config, 'dev');
    const outdir = path.join(root, 'cdk.out');
    const functions = resolveFunctions(config, resolved);
    const builtApp = buildApp({
      stage: resolved,
      functions,
      features: config.features,
      assets: new Map(functions.map((fn) => [fn.name, source])),
      outdir,
      serviceSource: source,
    });
    builtApp.app.synth();
    const find = (kind: string) => builtApp.stacks.find((x) => x.kind === kind)!;
    stage = {
      ...builtApp,
      config,
      stage: resolved,
      functions,
      stack: find as BuiltStage['stack'],
      template: ((kind: string) => Template.fromStack(find(kind))) as BuiltStage['template'],
      templates: () => builtApp.stacks.map((x) => Template.fromStack(x)),
      dispose: () => undefined,
    };
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return {
    app: () => stage!,
    template: () => stage!.template('service'),
    manifest: () => JSON.parse(readFileSync(path.join(root, 'cdk.out', 'orders-dev-service.assets.json'), 'utf8')),
  };
}

const fromSource = useSourceStage();

describe('service stack: image built from source', () => {
  it('builds the Dockerfile directory as a container image asset for x86-64', () => {
    const images = Object.values(fromSource.manifest().dockerImages);
    expect(images).toHaveLength(1);
    expect(images[0]!.source.platform).toBe('linux/amd64');
    // The image is pushed to the bootstrap's container asset repository, not pulled from a registry.
    expect(JSON.stringify(app(fromSource.template()).Image)).toContain('container-assets');
    onlyResource(fromSource.template(), 'AWS::ECS::TaskDefinition', {
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
    });
  });

  it('lets the execution role pull from the asset repository only (the token call has no resource)', () => {
    const statements = Object.values(resourcesOf(fromSource.template(), 'AWS::IAM::Policy')).flatMap(
      (p) => p.Properties!.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const pull = statements.find((st) => [st.Action].flat().includes('ecr:BatchGetImage'))!;
    expect(JSON.stringify(pull.Resource)).toContain('container-assets');
    expect(statements.filter((st) => st.Resource === '*').map((st) => st.Action)).toEqual(['ecr:GetAuthorizationToken']);
  });
});

describe('service stack: checks', () => {
  it.each(STAGES)('%s: the service template passes cfn-lint', async (stage) => {
    const variants = stage === 'dev' ? [built.dev, traced.dev, fromSource.app()] : [built[stage]];
    await expectNoLintErrors(variants.map((b) => b.template('service')));
  });

  it.each(STAGES)('%s: cdk-nag finds no unacknowledged error in the service stack', (stage) => {
    const errors = nagFindings(built[stage]).filter((f) => f.severity === 'error' && f.paths.some((p) => p.startsWith(`orders-${stage}-service/`)));
    expect(errors.map((e) => `${e.rule} on ${e.paths.join(', ')}`)).toEqual([]);
  });

  it('cdk-nag finds no unacknowledged error with the X-Ray sidecar or an image built from source either', () => {
    for (const variant of [traced.dev, fromSource.app()]) {
      const errors = nagFindings(variant).filter((f) => f.severity === 'error');
      expect(errors.map((e) => `${e.rule} on ${e.paths.join(', ')}`)).toEqual([]);
    }
  });
});
