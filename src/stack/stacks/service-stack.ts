import { Duration, aws_applicationautoscaling as appscaling, aws_ec2 as ec2, aws_ecr_assets as ecrAssets, aws_ecs as ecs, aws_elasticloadbalancingv2 as elbv2, aws_iam as iam, aws_logs as logs } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ServiceConfig } from '../../config/schema.js';
import { acknowledge, wildcardFinding } from '../acknowledge.js';
import { attachWebAcl } from '../edge/attach.js';
import { prefix } from '../naming.js';
import { dataRemovalPolicy } from '../removal.js';
import { serviceLoadBalancer } from '../service/load-balancer.js';
import { serviceNetwork } from '../service/network.js';
import { serviceSecrets } from '../service/secrets.js';
import type { StackHandles } from '../handles.js';
import { Spec3Stack, type StackInput } from '../spec3-stack.js';

export interface ServiceStackInput extends StackInput {
  /** `features.service` of the config. */
  readonly service: ServiceConfig;
  /**
   * Absolute directory holding the Dockerfile, when the service is built from `source` (resolved
   * against the config file before synth). Unused with `image`.
   */
  readonly sourceDir?: string | undefined;
}

/** The X-Ray daemon image AWS publishes, pinned to its major version. */
export const XRAY_DAEMON_IMAGE = 'public.ecr.aws/xray/aws-xray-daemon:3.x';
const XRAY_PORT = 2000;

/**
 * Phase app. The container service of the stage: an ECS cluster in the stage VPC, one Fargate task
 * definition (sized per stage), a service behind an internet-facing Application Load Balancer,
 * CPU target-tracking auto scaling, Secrets Manager secrets injected as environment variables,
 * and optionally the X-Ray daemon beside the container. Publishes what monitoring reads.
 */
export class ServiceStack extends Spec3Stack {
  readonly handles: StackHandles['service'];

  constructor(scope: Construct, input: ServiceStackInput) {
    super(scope, 'service', input, 'ECS Fargate service behind an Application Load Balancer');
    const { stage, service } = input;
    const name = prefix({ project: stage.project, stage: stage.name });
    const network = serviceNetwork(this);

    const cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: `${name}-cluster`,
      vpc: network.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/spec3/${stage.project}/${stage.name}/service`,
      retention: stage.logRetentionDays as logs.RetentionDays,
      removalPolicy: dataRemovalPolicy(stage),
    });

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      family: `${name}-service`,
      cpu: stage.service.cpu,
      memoryLimitMiB: stage.service.memory,
      // Images built from source are built for x86-64 (see below), so the task runs there too.
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });

    const secrets = serviceSecrets(this, service.secrets, taskDefinition.obtainExecutionRole());
    const container = taskDefinition.addContainer('App', {
      containerName: 'app',
      image: containerImage(service, input.sourceDir),
      essential: true,
      portMappings: [{ containerPort: service.port, protocol: ecs.Protocol.TCP }],
      environment: {
        STAGE: stage.name,
        PROJECT: stage.project,
        ...(service.xray ? { AWS_XRAY_DAEMON_ADDRESS: `localhost:${XRAY_PORT}` } : {}),
        ...service.environment,
      },
      secrets,
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'app' }),
    });
    acknowledge(taskDefinition, {
      id: 'AwsSolutions-ECS2',
      reason:
        'The plain environment holds only non-secret settings (STAGE, PROJECT and features.service.environment, documented as never secrets); ' +
        'every name in features.service.secrets comes from Secrets Manager.',
    });

    if (!service.image) {
      acknowledge(taskDefinition.obtainExecutionRole(), {
        id: wildcardFinding('Resource::*'),
        reason: 'Pulling the image built from source needs ecr:GetAuthorizationToken, which has no resource-level permissions; the pull itself is limited to the asset repository.',
      });
    }
    if (service.xray) addXRayDaemon(taskDefinition, logGroup);

    const taskSecurityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: network.vpc,
      description: 'Tasks of the service: in only from the load balancer on the container port',
      // Tasks pull images, read secrets and call AWS APIs.
      allowAllOutbound: true,
    });

    const fargate = new ecs.FargateService(this, 'Service', {
      serviceName: `${name}-service`,
      cluster,
      taskDefinition,
      desiredCount: stage.service.desiredCount,
      vpcSubnets: network.taskSubnets,
      assignPublicIp: network.assignPublicIp,
      securityGroups: [taskSecurityGroup],
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
    });

    const { alb, listener } = serviceLoadBalancer(this, network);
    const targetGroup = listener.addTargets('App', {
      port: service.port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [fargate.loadBalancerTarget({ containerName: container.containerName, containerPort: service.port })],
      healthCheck: { path: service.healthCheckPath, healthyHttpCodes: '200-399', interval: Duration.seconds(30) },
      deregistrationDelay: Duration.seconds(30),
    });

    const scaling = fargate.autoScaleTaskCount({ minCapacity: stage.service.minCount, maxCapacity: stage.service.maxCount });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: stage.service.cpuTarget,
      scaleInCooldown: Duration.seconds(300),
      scaleOutCooldown: Duration.seconds(60),
    });

    // The app tags every resource, but the resource specification cfn-lint checks against has no
    // Tags on listeners and scalable targets (E3002), so those two go untagged.
    for (const resource of this.node.findAll()) {
      if (resource instanceof elbv2.CfnListener || resource instanceof appscaling.CfnScalableTarget) resource.addPropertyDeletionOverride('Tags');
    }

    attachWebAcl(this, 'LoadBalancerWaf', alb.loadBalancerArn);

    this.wiring.publish(this, 'alb-full-name', alb.loadBalancerFullName, 'Load balancer of the service, for its metrics');
    this.wiring.publish(this, 'target-group-full-name', targetGroup.targetGroupFullName, 'Target group of the service, for its metrics');
    this.wiring.publish(this, 'cluster-name', cluster.clusterName);
    this.wiring.publish(this, 'service-name', fargate.serviceName);
    this.wiring.publish(this, 'url', `http://${alb.loadBalancerDnsName}`, 'HTTP address of the service');
    this.handles = { cluster, service: fargate, taskDefinition, loadBalancer: alb, listener, targetGroup, logGroup };
  }
}

/** The image of the app container: built from the Dockerfile directory, or pulled by URI. */
function containerImage(service: ServiceConfig, sourceDir: string | undefined): ecs.ContainerImage {
  if (service.image) return ecs.ContainerImage.fromRegistry(service.image);
  if (!sourceDir) throw new Error('features.service.source needs its resolved directory (sourceDir) to build the image');
  // Fargate tasks here run on x86-64; building for it explicitly keeps images built on ARM machines runnable.
  return ecs.ContainerImage.fromAsset(sourceDir, { platform: ecrAssets.Platform.LINUX_AMD64 });
}

/** The X-Ray daemon beside the app: receives segments on UDP 2000 and sends them to X-Ray. */
function addXRayDaemon(taskDefinition: ecs.FargateTaskDefinition, logGroup: logs.ILogGroup): void {
  taskDefinition.addContainer('XRayDaemon', {
    containerName: 'xray-daemon',
    image: ecs.ContainerImage.fromRegistry(XRAY_DAEMON_IMAGE),
    // Tracing is an aid: the app keeps serving if the daemon stops.
    essential: false,
    cpu: 32,
    memoryReservationMiB: 64,
    portMappings: [{ containerPort: XRAY_PORT, protocol: ecs.Protocol.UDP }],
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'xray' }),
  });
  taskDefinition.taskRole.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'XRayTraces',
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
      // X-Ray has no resource-level permissions for these actions.
      resources: ['*'],
    }),
  );
  acknowledge(taskDefinition.taskRole, {
    id: wildcardFinding('Resource::*'),
    reason: 'X-Ray PutTraceSegments, PutTelemetryRecords and the sampling calls have no resource-level permissions.',
  });
}
