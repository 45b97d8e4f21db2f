import { Duration, aws_iam as iam, aws_lambda as lambda, aws_logs as logs, aws_sns as sns, aws_sqs as sqs } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedFunction } from '../../config/resolve.js';
import type { Runtime } from '../../config/schema.js';
import { acknowledge, wildcardFinding } from '../acknowledge.js';
import { CanaryDelivery } from '../delivery/canary.js';
import { liveAlias } from '../delivery/live-alias.js';
import { rollbackAlarms } from '../delivery/rollback-alarms.js';
import { dataAccessOf, EXTENSION_ACTIONS, extensionActionsOf, extensionGrantsOf, grantsOf } from '../grants.js';
import { extensionResource } from '../extension-resources.js';
import { Spec3Error } from '../../errors.js';
import { functionName, prefix } from '../naming.js';
import { dataRemovalPolicy } from '../removal.js';
import type { StackHandles } from '../handles.js';
import { Spec3Stack, type StackInput } from '../spec3-stack.js';
import { TABLE_INDEX } from './storage-stack.js';

export interface ComputeStackInput extends StackInput {
  readonly functions: readonly ResolvedFunction[];
  /** Function name -> directory holding its bundled code (prepared before synth). */
  readonly assets: ReadonlyMap<string, string>;
}

const RUNTIMES: Record<Runtime, lambda.Runtime> = {
  'python3.13': lambda.Runtime.PYTHON_3_13,
  'python3.12': lambda.Runtime.PYTHON_3_12,
  'python3.11': lambda.Runtime.PYTHON_3_11,
  'nodejs22.x': lambda.Runtime.NODEJS_22_X,
};

/** Shared imports of foundation resources, created once per stack. */
class Foundation {
  constructor(private readonly stack: Spec3Stack) {}
  private memo = new Map<string, unknown>();
  private once<T>(id: string, make: () => T): T {
    if (!this.memo.has(id)) this.memo.set(id, make());
    return this.memo.get(id) as T;
  }
  value = (kind: 'storage' | 'messaging' | 'security', key: string) =>
    this.once(`${kind}/${key}`, () => this.stack.wiring.consume(this.stack, kind, key));
  queue = () => this.once('queue', () => sqs.Queue.fromQueueArn(this.stack, 'WorkQueue', this.value('messaging', 'work-queue-arn')));
  topic = () => this.once('topic', () => sns.Topic.fromTopicArn(this.stack, 'AlertTopic', this.value('messaging', 'alert-topic-arn')));
  dlq = () =>
    this.once('dlq', () => sqs.Queue.fromQueueArn(this.stack, 'FunctionsDlq', this.value('messaging', 'functions-dlq-arn')));
}

/**
 * Phase app. One Lambda per configured function: its own role with only the grants it asked for,
 * its own log group with the stage's retention, X-Ray tracing, failed async invocations to the DLQ.
 * Callers reach a function through its `live` alias on a published version; in a `canary` stage
 * CodeDeploy moves that alias (10% for five minutes, rolled back on the function's alarms),
 * elsewhere a deploy moves it at once.
 */
export class ComputeStack extends Spec3Stack {
  readonly handles: StackHandles['compute'];

  constructor(scope: Construct, input: ComputeStackInput) {
    super(scope, 'compute', input, 'Lambda functions');
    const { stage } = input;
    const foundation = new Foundation(this);
    const canary = stage.canary
      ? new CanaryDelivery(this, 'Delivery', { applicationName: `${prefix({ project: stage.project, stage: stage.name })}-functions` })
      : undefined;
    const basePolicy = iam.ManagedPolicy.fromManagedPolicyArn(
      this,
      'FunctionBasePolicy',
      foundation.value('security', 'function-base-policy-arn'),
    );

    const functions: Record<string, lambda.Function> = {};
    const aliases: Record<string, lambda.Alias> = {};
    const roles: Record<string, iam.Role> = {};
    for (const fn of input.functions) {
      const name = functionName({ project: stage.project, stage: stage.name }, fn.name);
      const id = fn.name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
      const logGroup = new logs.LogGroup(this, `${id}Logs`, {
        logGroupName: `/aws/lambda/${name}`,
        retention: stage.logRetentionDays as logs.RetentionDays,
        removalPolicy: dataRemovalPolicy(stage),
      });
      const role = new iam.Role(this, `${id}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Execution role of ${name}`,
        managedPolicies: [basePolicy],
      });
      logGroup.grantWrite(role);

      const code = input.assets.get(fn.name);
      if (!code) throw new Error(`No bundled code for function "${fn.name}"`);
      const func = new lambda.Function(this, id, {
        functionName: name,
        description: `${stage.project} ${fn.name} (${stage.name})`,
        runtime: RUNTIMES[fn.runtime],
        handler: fn.handler,
        code: lambda.Code.fromAsset(code),
        memorySize: fn.memory,
        timeout: Duration.seconds(fn.timeout),
        reservedConcurrentExecutions: fn.reservedConcurrency,
        role,
        logGroup,
        tracing: lambda.Tracing.ACTIVE,
        deadLetterQueue: foundation.dlq(),
        environment: {
          STAGE: stage.name,
          PROJECT: stage.project,
          TABLE_NAME: foundation.value('storage', 'table-name'),
          BUCKET_NAME: foundation.value('storage', 'bucket-name'),
          QUEUE_URL: foundation.value('messaging', 'work-queue-url'),
          TOPIC_ARN: foundation.value('messaging', 'alert-topic-arn'),
          ...fn.environment,
        },
      });

      const grants = grantsOf(fn);
      if (grants.has('queue:send')) foundation.queue().grantSendMessages(role);
      if (grants.has('queue:consume')) foundation.queue().grantConsumeMessages(role);
      if (grants.has('topic:publish')) foundation.topic().grantPublish(role);
      const access = dataAccessOf(grants);
      const allow = (sid: string, actions: readonly string[], resources: string[]) => {
        if (actions.length > 0) role.addToPrincipalPolicy(new iam.PolicyStatement({ sid, actions: [...actions], resources }));
      };
      const tableArn = foundation.value('storage', 'table-arn');
      const bucketArn = foundation.value('storage', 'bucket-arn');
      allow('Table', access.table, [tableArn, `${tableArn}/index/${TABLE_INDEX}`]);
      allow('Bucket', access.bucket, [bucketArn]);
      allow('Objects', access.objects, [`${bucketArn}/*`]);
      allow('StageKey', access.key, [foundation.value('security', 'key-arn')]);
      const extensionWildcards: string[] = [];
      for (const grant of extensionGrantsOf(fn)) {
        const r = extensionResource(this, grant.resource, `Function ${fn.name} (access "${grant.resource}:${grant.mode}")`);
        const actions = extensionActionsOf(r.type, grant.mode);
        if (!actions) {
          throw new Spec3Error(
            'EXTENSION_ACCESS_TYPE',
            `Function ${fn.name} has access "${grant.resource}:${grant.mode}", but ${grant.resource} is a ${r.type}, which access cannot name (it can: ${Object.keys(EXTENSION_ACTIONS).join(', ')}).`,
            `Remove "${grant.resource}:${grant.mode}" from the function's access and grant it in spec3.extend.ts (compute hook).`,
          );
        }
        const on = EXTENSION_ACTIONS[r.type]!.on?.(r.arn, grant.mode) ?? [r.arn];
        allow(`Ext${grant.resource.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}`, actions, on);
        extensionWildcards.push(...on.filter((arn) => arn.endsWith('/*')).map((arn) => arn));
        // Where the function finds it: AUDIT_TABLE_ARN, AUDIT_TABLE_NAME for "audit-table".
        const env = grant.resource.toUpperCase().replace(/-/g, '_');
        func.addEnvironment(`${env}_ARN`, r.arn);
        if (r.name) func.addEnvironment(`${env}_NAME`, r.name);
      }

      acknowledge(
        role,
        {
          id: wildcardFinding('Resource::*'),
          reason: 'Active tracing: X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.',
        },
        ...(access.objects.length > 0
          ? [{
              id: wildcardFinding(`Resource::<${(this.resolve(bucketArn) as { Ref: string }).Ref}>/*`),
              reason: 'Object keys are data written at run time; the grant is limited to the stage data bucket.',
            }]
          : []),
        ...extensionWildcards.map((arn) => ({
          id: wildcardFinding(`Resource::<${(this.resolve(arn.slice(0, -2)) as { Ref: string }).Ref}>/*`),
          reason: 'Object keys of an extension bucket the function was granted in its access; limited to that bucket.',
        })),
      );
      acknowledge(func, {
        id: 'AwsSolutions-L1',
        reason: `The runtime is the project's \`runtime\` setting (${fn.runtime}), one AWS supports; spec3 does not move projects to a newer runtime behind their back.`,
      });

      const live = liveAlias(func, fn);
      functions[fn.name] = func;
      aliases[fn.name] = live;
      roles[fn.name] = role;
      if (canary) canary.add(id, live, name, rollbackAlarms(live, name, fn, stage));

      // The alias ARN: whatever invokes the function through wiring invokes `live`, never $LATEST.
      this.wiring.publish(this, `fn-${fn.name}-arn`, live.functionArn, `ARN of the live alias of ${name}, invoked by later stacks`);
      this.wiring.publish(this, `fn-${fn.name}-name`, func.functionName);
    }
    this.handles = { functions, aliases, roles };
  }
}
