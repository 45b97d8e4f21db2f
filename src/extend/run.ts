import {
  CfnResource,
  RemovalPolicy,
  Token,
  aws_cognito as cognito,
  aws_dynamodb as dynamodb,
  aws_events as events,
  aws_iam as iam,
  aws_kinesis as kinesis,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_s3 as s3,
  aws_sns as sns,
  aws_sqs as sqs,
  aws_stepfunctions as sfn,
} from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Spec3Error, isSpec3Error } from '../errors.js';
import { extensionResource, registerExtensionResource, registeredExtensionResource, type ExtensionResource, type ExtensionResourceValues } from '../stack/extension-resources.js';
import type { StackKind } from '../stack/phases.js';
import { keepsData } from '../stack/removal.js';
import type { Spec3Stack } from '../stack/spec3-stack.js';
import type { HookContext } from './define.js';
import type { LoadedExtensions } from './load.js';

/**
 * What a hook may publish as a construct: how to read its values in the producing stack, and how
 * to import it by those values into a consuming stack (so `grant*` works there). One row per type.
 */
interface Publishable<C> {
  readonly type: string;
  readonly is: (value: IConstruct) => value is IConstruct & C;
  readonly values: (value: C) => Omit<ExtensionResourceValues, 'type'>;
  readonly importInto: (scope: Spec3Stack, id: string, r: ExtensionResource) => unknown;
}

const row = <C>(p: Publishable<C>): Publishable<C> => p;
const isA = <C>(...classes: (abstract new (...args: never[]) => C)[]) => (value: IConstruct): value is IConstruct & C => classes.some((c) => value instanceof c);

const PUBLISHABLE_TYPES: readonly Publishable<any>[] = [
  row<dynamodb.Table | dynamodb.TableV2>({
    type: 'AWS::DynamoDB::Table',
    is: isA<dynamodb.Table | dynamodb.TableV2>(dynamodb.Table, dynamodb.TableV2),
    values: (t) => ({ arn: t.tableArn, name: t.tableName, ...(t.tableStreamArn ? { streamArn: t.tableStreamArn } : {}) }),
    importInto: (scope, id, r) => dynamodb.Table.fromTableAttributes(scope, id, { tableArn: r.arn, ...(r.streamArn ? { tableStreamArn: r.streamArn } : {}) }),
  }),
  row<s3.Bucket>({
    type: 'AWS::S3::Bucket',
    is: isA(s3.Bucket),
    values: (b) => ({ arn: b.bucketArn, name: b.bucketName }),
    importInto: (scope, id, r) => s3.Bucket.fromBucketAttributes(scope, id, { bucketArn: r.arn, ...(r.name ? { bucketName: r.name } : {}) }),
  }),
  row<sqs.Queue>({ type: 'AWS::SQS::Queue', is: isA(sqs.Queue), values: (q) => ({ arn: q.queueArn, name: q.queueName }), importInto: (scope, id, r) => sqs.Queue.fromQueueArn(scope, id, r.arn) }),
  row<sns.Topic>({ type: 'AWS::SNS::Topic', is: isA(sns.Topic), values: (t) => ({ arn: t.topicArn, name: t.topicName }), importInto: (scope, id, r) => sns.Topic.fromTopicArn(scope, id, r.arn) }),
  row<kms.Key>({ type: 'AWS::KMS::Key', is: isA(kms.Key), values: (k) => ({ arn: k.keyArn }), importInto: (scope, id, r) => kms.Key.fromKeyArn(scope, id, r.arn) }),
  row<lambda.Function>({
    type: 'AWS::Lambda::Function',
    is: isA(lambda.Function),
    values: (f) => ({ arn: f.functionArn, name: f.functionName }),
    importInto: (scope, id, r) => lambda.Function.fromFunctionAttributes(scope, id, { functionArn: r.arn, sameEnvironment: true }),
  }),
  row<sfn.StateMachine>({
    type: 'AWS::StepFunctions::StateMachine',
    is: isA(sfn.StateMachine),
    values: (m) => ({ arn: m.stateMachineArn, name: m.stateMachineName }),
    importInto: (scope, id, r) => sfn.StateMachine.fromStateMachineArn(scope, id, r.arn),
  }),
  row<events.EventBus>({ type: 'AWS::Events::EventBus', is: isA(events.EventBus), values: (b) => ({ arn: b.eventBusArn, name: b.eventBusName }), importInto: (scope, id, r) => events.EventBus.fromEventBusArn(scope, id, r.arn) }),
  row<kinesis.Stream>({ type: 'AWS::Kinesis::Stream', is: isA(kinesis.Stream), values: (k) => ({ arn: k.streamArn, name: k.streamName, streamArn: k.streamArn }), importInto: (scope, id, r) => kinesis.Stream.fromStreamArn(scope, id, r.arn) }),
  row<cognito.UserPool>({ type: 'AWS::Cognito::UserPool', is: isA(cognito.UserPool), values: (p) => ({ arn: p.userPoolArn, name: p.userPoolId }), importInto: (scope, id, r) => cognito.UserPool.fromUserPoolArn(scope, id, r.arn) }),
  row<iam.Role>({ type: 'AWS::IAM::Role', is: isA(iam.Role), values: (role) => ({ arn: role.roleArn, name: role.roleName }), importInto: (scope, id, r) => iam.Role.fromRoleArn(scope, id, r.arn) }),
  row<logs.LogGroup>({ type: 'AWS::Logs::LogGroup', is: isA(logs.LogGroup), values: (g) => ({ arn: g.logGroupArn, name: g.logGroupName }), importInto: (scope, id, r) => logs.LogGroup.fromLogGroupArn(scope, id, r.arn) }),
];

const PUBLISHABLE = 'a string, or a table, bucket, queue, topic, key, function, state machine, event bus, stream, user pool, role or log group';

/** The values of a construct a hook publishes; undefined for a construct of another kind. */
function valuesOf(value: IConstruct): ExtensionResourceValues | undefined {
  const p = PUBLISHABLE_TYPES.find((t) => t.is(value));
  return p ? { type: p.type, ...p.values(value) } : undefined;
}

/** A published extension resource imported into `scope`; a raw resource of another type comes back as its values. */
function importInto(scope: Spec3Stack, r: ExtensionResource): unknown {
  const p = PUBLISHABLE_TYPES.find((t) => t.type === r.type);
  return p ? p.importInto(scope, `Ext-${r.id}`, r) : r;
}

/**
 * Resource types that hold data: what an extension adds of these is retained in stages that keep
 * data (protected or retainData), like spec3's own table and bucket, unless it sets a policy.
 */
export const DATA_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::S3::Bucket',
  'AWS::Logs::LogGroup',
  'AWS::Kinesis::Stream',
  'AWS::Cognito::UserPool',
  'AWS::KMS::Key',
  'AWS::SQS::Queue',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBInstance',
  'AWS::EFS::FileSystem',
  'AWS::Backup::BackupVault',
  'AWS::OpenSearchService::Domain',
]);

/**
 * Runs the project's hook for `stack`'s kind, if it has one, right after spec3 built the stack.
 * Whatever the hook throws is reported with the extension file and line; a spec3 error (a read
 * from a later phase) keeps its code.
 */
export function runHook(stack: Spec3Stack, extensions: LoadedExtensions): void {
  const hook = extensions.hooks[stack.kind] as ((context: unknown) => void) | undefined;
  if (!hook) return;
  const before = new Set(stack.node.findAll());
  const context: HookContext<StackKind> & Record<string, unknown> = {
    stack,
    kind: stack.kind,
    phase: stack.phase,
    stage: stack.stage,
    resources: stack.handles,
    publish: (name: string, value: string | IConstruct) => publish(stack, name, value),
    consume: <T>(kind: StackKind, name: string) => consume(stack, kind, name) as T,
    ...(stack.kind === 'compute' ? { functions: (stack.handles as { functions: unknown }).functions, aliases: (stack.handles as { aliases: unknown }).aliases } : {}),
  };
  try {
    hook(context);
  } catch (error) {
    const at = extensions.where(error) ?? extensions.name;
    const message = error instanceof Error ? error.message : String(error);
    if (isSpec3Error(error)) throw new Spec3Error(error.code, `${at} (${stack.kind} hook): ${message}`, error.hint, { cause: error });
    throw new Spec3Error(
      'EXTENSION_HOOK_FAILED',
      `${at}: the ${stack.kind} hook threw: ${message}`,
      `Fix the ${stack.kind} hook in ${extensions.name} and run the command again.`,
      { cause: error },
    );
  }
  if (keepsData(stack.stage)) retainAddedData(stack, before);
}

/** Data resources the hook added without a deletion policy of their own keep their data on destroy. */
function retainAddedData(stack: Spec3Stack, before: ReadonlySet<IConstruct>): void {
  for (const node of stack.node.findAll()) {
    if (before.has(node) || !(node instanceof CfnResource)) continue;
    if (DATA_RESOURCE_TYPES.has(node.cfnResourceType) && node.cfnOptions.deletionPolicy === undefined) node.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}

function publish(stack: Spec3Stack, name: string, value: string | IConstruct): void {
  if (typeof value === 'string') {
    stack.wiring.publish(stack, `ext-${name}`, value, `Extension value ${name}`);
    return;
  }
  const values = value && typeof value === 'object' && 'node' in value ? valuesOf(value) : undefined;
  if (!values) {
    throw new Spec3Error('EXTENSION_PUBLISH_TYPE', `publish('${name}', ...) got ${describe(value)}; it takes ${PUBLISHABLE}.`, `Publish the value's ARN or name as a string instead: publish('${name}', resource.someArn).`);
  }
  registerExtensionResource(stack, name, values);
}

function describe(value: unknown): string {
  if (value && typeof value === 'object' && 'node' in value) return `a ${value.constructor.name}`;
  return Token.isUnresolved(value) ? 'an unresolved token' : typeof value;
}

function consume(stack: Spec3Stack, kind: StackKind, name: string): unknown {
  // A resource registered under this name by that kind comes back as a construct; anything else
  // is a published string (Wiring.consume refuses a later phase or a missing value).
  if (registeredExtensionResource(stack.wiring, name)?.kind === kind) {
    return importInto(stack, extensionResource(stack, name, `consume('${kind}', '${name}')`));
  }
  // A value an extension published, else one of spec3's own (`fn-api-arn`, `table-name`, ...).
  const key = stack.wiring.publishes(kind, `ext-${name}`) || !stack.wiring.publishes(kind, name) ? `ext-${name}` : name;
  return stack.wiring.consume(stack, kind, key);
}
