import type {
  aws_apigateway as apigw,
  aws_apigatewayv2 as apigwv2,
  aws_cloudwatch as cw,
  aws_dynamodb as dynamodb,
  aws_ec2 as ec2,
  aws_ecs as ecs,
  aws_elasticloadbalancingv2 as elbv2,
  aws_events as events,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_s3 as s3,
  aws_sns as sns,
  aws_sqs as sqs,
  aws_wafv2 as wafv2,
} from 'aws-cdk-lib';
import type { GraphCluster } from './data/graph.js';
import type { SearchCollection } from './data/search.js';
import type { StackKind } from './phases.js';

/**
 * spec3's own resources of each stack kind, as the constructs that create them. Every stack
 * exposes its entry as `stack.handles`, so code that extends a stack (code extensions, references
 * from raw resources) reaches the real construct rather than re-importing it by name.
 * A handle is `undefined` only where the stage's config decides the resource is not created.
 */
export interface StackHandles {
  readonly network: {
    readonly vpc: ec2.Vpc;
    readonly flowLogs: logs.LogGroup;
  };
  readonly security: {
    /** The stage's KMS key, encrypting the table, the data bucket and the alert topic. */
    readonly key: kms.Key;
    /** Managed policy every function role carries (X-Ray). */
    readonly functionBasePolicy: iam.ManagedPolicy;
  };
  readonly storage: {
    readonly table: dynamodb.Table;
    readonly bucket: s3.Bucket;
    readonly accessLogsBucket: s3.Bucket;
  };
  readonly messaging: {
    readonly workQueue: sqs.Queue;
    /** Dead-letter queue of the work queue. */
    readonly workDlq: sqs.Queue;
    /** Dead-letter queue of failed asynchronous function invocations. */
    readonly functionsDlq: sqs.Queue;
    readonly alertTopic: sns.Topic;
  };
  readonly pipeline: {
    readonly deployRole: iam.Role;
    readonly deployPolicy: iam.Policy;
  };
  readonly edge: {
    readonly webAcl: wafv2.CfnWebACL;
    readonly logGroup: logs.LogGroup;
  };
  readonly data: {
    readonly search: SearchCollection | undefined;
    readonly graph: GraphCluster | undefined;
  };
  readonly compute: {
    /** Config function name -> its Lambda function. */
    readonly functions: Readonly<Record<string, lambda.Function>>;
    /** Config function name -> its `live` alias, what every caller invokes. */
    readonly aliases: Readonly<Record<string, lambda.Alias>>;
    /** Config function name -> its execution role. */
    readonly roles: Readonly<Record<string, iam.Role>>;
  };
  readonly api: {
    /** The API of `features.api.type`; `restApi` / `httpApi` give it with its concrete type. */
    readonly api: apigw.RestApi | apigwv2.HttpApi;
    readonly restApi: apigw.RestApi | undefined;
    readonly httpApi: apigwv2.HttpApi | undefined;
    readonly accessLogs: logs.LogGroup;
  };
  readonly service: {
    readonly cluster: ecs.Cluster;
    readonly service: ecs.FargateService;
    readonly taskDefinition: ecs.FargateTaskDefinition;
    readonly loadBalancer: elbv2.ApplicationLoadBalancer;
    readonly listener: elbv2.ApplicationListener;
    readonly targetGroup: elbv2.ApplicationTargetGroup;
    readonly logGroup: logs.LogGroup;
  };
  readonly monitoring: {
    readonly dashboard: cw.Dashboard;
  };
  readonly integrations: {
    /** EventBridge rules of schedule and S3 triggers. */
    readonly rules: readonly events.Rule[];
    /** Event source mappings of queue triggers. */
    readonly eventSourceMappings: readonly lambda.EventSourceMapping[];
  };
}

/** The handles of one stack kind. */
export type HandlesOf<K extends StackKind> = StackHandles[K];

// Every stack kind has an entry, and nothing else does.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const everyKindHasHandles: Exact<keyof StackHandles, StackKind> = true;
void everyKindHasHandles;
