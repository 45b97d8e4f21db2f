import { z } from 'zod';
import { APPROVAL_LEVELS } from './approval.js';
import { STACK_PHASES, type StackKind } from '../stack/phases.js';

/**
 * The schema of `spec3.config.json`. One source of truth: it validates the file, gives the
 * TypeScript types, and is exported as the JSON Schema shipped in `schema/` for editor completion.
 * Every message here is written for the person editing the file.
 */

export const RUNTIMES = ['python3.13', 'python3.12', 'python3.11', 'nodejs22.x'] as const;
export const DEFAULT_RUNTIME = 'python3.13';

/** Python runtimes bundle with pip and name handlers by module path. */
export const isPython = (runtime: string): boolean => runtime.startsWith('python');
/**
 * Runtimes Lambda no longer lets anyone create functions with, from this date (AWS's runtime
 * deprecation policy): accepted so existing projects still synthesize, but warned about.
 */
export const RUNTIME_CREATE_BLOCKED: Partial<Record<(typeof RUNTIMES)[number], string>> = {
  'python3.11': '2026-07-31',
};
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
/**
 * A grant on a named extension resource: `<name>:read|write|readwrite` (see src/stack/extension-resources.ts).
 * spec3's own resource names are not extension names, so `table:write` is a mistyped grant of the table.
 */
export const EXTENSION_GRANT = /^(?!(table|bucket|queue|topic):)[a-z][a-z0-9-]{0,62}:(read|write|readwrite)$/;

export const ACCESS_GRANTS = [
  'table:read',
  'table:readwrite',
  'bucket:read',
  'bucket:readwrite',
  'queue:send',
  'queue:consume',
  'topic:publish',
] as const;
const ACCESS_ERROR = `expected one of ${ACCESS_GRANTS.join(', ')}, or "<extension resource>:read|write|readwrite", e.g. "audit-table:read"`;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'ANY'] as const;

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const account = z
  .string({ error: 'expected a 12-digit AWS account id in quotes, e.g. "123456789012"' })
  .regex(ACCOUNT, { error: 'expected a 12-digit AWS account id, e.g. "123456789012"' });

const region = z
  .string({ error: 'expected an AWS region name, e.g. "us-east-1"' })
  .regex(REGION, { error: 'expected an AWS region name, e.g. "us-east-1" or "eu-west-2"' });

const int = (min: number, max: number, what: string) =>
  z
    .number({ error: `expected ${what}: a whole number from ${min} to ${max}` })
    .int({ error: `expected ${what}: a whole number from ${min} to ${max}` })
    .min(min, { error: `expected ${what} of at least ${min}` })
    .max(max, { error: `expected ${what} of at most ${max}` });

const bool = (what: string) => z.boolean({ error: `expected true or false (${what})` });

/**
 * The message for a value of the wrong JSON type (an object where a list belongs, say), with an
 * example of the right shape; other issues of the same schema keep their own messages.
 */
const shape = (expected: string) => (issue: { code?: string }) => (issue.code === 'invalid_type' ? `expected ${expected}` : undefined);

export const lambdaSettingsSchema = z
  .strictObject({
    memory: int(128, 10240, 'memory in MB').optional().describe('Memory of each function, in MB.'),
    timeout: int(1, 900, 'a timeout in seconds').optional().describe('Timeout of each function, in seconds.'),
  })
  .describe('Defaults for every function of the stage; a function can override them.');

export const alarmSettingsSchema = z
  .strictObject({
    errors: int(1, 100000, 'an error count').optional().describe('Alarm when a function has this many errors in 5 minutes.'),
    durationPercent: int(1, 100, 'a percentage of the timeout')
      .optional()
      .describe("Alarm when a function's p99 duration exceeds this percentage of its timeout."),
    throttles: int(1, 100000, 'a throttle count').optional().describe('Alarm when a function is throttled this many times in 5 minutes.'),
  })
  .describe('Alarm thresholds.');

export const apiSettingsSchema = z
  .strictObject({
    throttleRate: z
      .number({ error: 'expected requests per second, a number greater than 0' })
      .positive({ error: 'expected requests per second, a number greater than 0' })
      .optional()
      .describe('Steady-state request rate limit, per second.'),
    throttleBurst: int(1, 100000, 'a burst limit').optional().describe('Burst request limit.'),
  })
  .describe('API throttling for the stage.');

export const FARGATE_CPU = [256, 512, 1024, 2048, 4096] as const;

export const serviceSettingsSchema = z
  .strictObject({
    cpu: z
      .union(FARGATE_CPU.map((c) => z.literal(c)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>], {
        error: `expected Fargate CPU units: one of ${FARGATE_CPU.join(', ')}`,
      })
      .optional()
      .describe('CPU units of each task (1024 = 1 vCPU).'),
    memory: int(512, 30720, 'memory in MiB').optional().describe('Memory of each task, in MiB (must suit the CPU, as Fargate requires).'),
    desiredCount: int(0, 100, 'a task count').optional().describe('Tasks running after a deploy.'),
    minCount: int(0, 100, 'a task count').optional().describe('Fewest tasks auto scaling keeps.'),
    maxCount: int(1, 100, 'a task count').optional().describe('Most tasks auto scaling starts.'),
    cpuTarget: int(10, 90, 'a CPU percentage').optional().describe('Average CPU utilisation auto scaling keeps the service at.'),
  })
  .describe('Sizing of the container service in this stage.');

export const functionOverridesSchema = z
  .strictObject({
    memory: int(128, 10240, 'memory in MB').optional(),
    timeout: int(1, 900, 'a timeout in seconds').optional(),
    reservedConcurrency: int(0, 10000, 'a reserved concurrency').optional().describe('Concurrent executions reserved for (and capping) the function.'),
    provisionedConcurrency: int(0, 10000, 'a provisioned concurrency').optional().describe('Execution environments kept initialised on the live alias.'),
  })
  .describe("Settings of one function in this stage, over the function's own.");

export const sloSettingsSchema = z
  .strictObject({
    availability: z
      .number({ error: 'expected an availability target in percent, e.g. 99.9' })
      .min(90, { error: 'expected an availability target of at least 90 (percent)' })
      .max(99.999, { error: 'expected an availability target of at most 99.999 (percent)' })
      .optional()
      .describe('Share of requests that must succeed, in percent; the error budget is the rest.'),
  })
  .describe('Service level objective of the stage.');

export const searchSettingsSchema = z
  .strictObject({
    standbyReplicas: bool('standby replicas for the search collection').optional().describe('OpenSearch Serverless standby replicas (redundancy across zones).'),
  })
  .describe('Sizing of the search collection in this stage.');

export const graphSettingsSchema = z
  .strictObject({
    instanceClass: z
      .string({ error: 'expected a Neptune instance class such as "db.t4g.medium"' })
      .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'expected a Neptune instance class such as "db.t4g.medium" or "db.r6g.large"' })
      .optional(),
    instances: int(1, 16, 'a number of instances').optional().describe('Writer plus readers.'),
  })
  .describe('Sizing of the graph database in this stage.');

/*
 * Raw CloudFormation extensions: `extensions.<stack kind>.resources` and `.outputs`, merged into
 * that stack's template; a stage layers its own values over them under
 * `stages.<stage>.extensions` (or `defaults.extensions`). Properties are checked against the
 * CloudFormation resource specification at synth (src/config/extension-check.ts), not here:
 * the specification is large and only loaded when a config has extensions.
 */
export const STACK_KINDS = Object.keys(STACK_PHASES) as StackKind[];
export const DELETION_POLICIES = ['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot'] as const;
export const UPDATE_REPLACE_POLICIES = ['Delete', 'Retain', 'Snapshot'] as const;
/** The object that stands for a value of a spec3 resource, e.g. { "spec3:ref": "storage.table.arn" }. */
export const REF_KEY = 'spec3:ref';

const logicalId = z.string().regex(/^[A-Za-z0-9]{1,255}$/, { error: 'expected a CloudFormation logical id: letters and digits only, e.g. "AuditTable"' });
const jsonObject = (example: string) =>
  z.record(z.string(), z.unknown(), { error: shape(`an object, e.g. ${example}`) });

const rawResourceFields = {
  Type: z
    .string({ error: 'expected a CloudFormation resource type such as "AWS::SQS::Queue"' })
    .regex(/^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/, { error: 'expected a resource type "<Vendor>::<Service>::<Resource>", e.g. "AWS::DynamoDB::Table"' })
    .describe('CloudFormation resource type, e.g. "AWS::DynamoDB::Table".'),
  Properties: jsonObject('{ "BillingMode": "PAY_PER_REQUEST" }')
    .optional()
    .describe(`The resource's properties, as in a CloudFormation template; { "${REF_KEY}": "<kind>.<handle>.<attribute>" } stands for a value of a spec3 resource.`),
  DependsOn: z
    .union([logicalId, z.array(logicalId)], { error: 'expected a logical id or a list of logical ids of resources of the same extension block' })
    .optional(),
  DeletionPolicy: z
    .enum(DELETION_POLICIES, { error: `expected one of ${DELETION_POLICIES.join(', ')}` })
    .optional()
    .describe('What destroy does with the resource; data resources without one are retained in protected and retainData stages.'),
  UpdateReplacePolicy: z.enum(UPDATE_REPLACE_POLICIES, { error: `expected one of ${UPDATE_REPLACE_POLICIES.join(', ')}` }).optional(),
  Metadata: jsonObject('{ "cdk_nag": { "rules_to_suppress": [{ "id": "AwsSolutions-SQS3", "reason": "..." }] } }')
    .optional()
    .describe('Template metadata of the resource; cdk_nag.rules_to_suppress acknowledges a finding with a reason.'),
};
const rawOutputFields = {
  Value: z
    .union([z.string(), jsonObject('{ "Fn::GetAtt": ["AuditTable", "Arn"] }')], { error: 'expected a string or an intrinsic function object' })
    .describe('What the output shows in `spec3 status`.'),
  Description: z.string({ error: 'expected a description string' }).optional(),
};

export const rawResourceSchema = z
  .strictObject(rawResourceFields, { error: shape('a resource object, e.g. { "Type": "AWS::SQS::Queue", "Properties": {} }') })
  .describe('A CloudFormation resource (Condition and Export are not supported: stages decide, and stacks share values through SSM).');
const rawOutputSchema = z.strictObject(rawOutputFields, { error: shape('an output object, e.g. { "Value": { "Ref": "AuditTable" } }') });

const extensionBlock = (resource: z.ZodType, output: z.ZodType) =>
  z.strictObject(
    {
      resources: z.record(logicalId, resource, { error: shape('an object of resources by logical id, e.g. { "AuditTable": { "Type": "AWS::DynamoDB::Table" } }') }).optional(),
      outputs: z.record(logicalId, output, { error: shape('an object of outputs by logical id, e.g. { "AuditTableName": { "Value": { "Ref": "AuditTable" } } }') }).optional(),
    },
    { error: shape('an object with "resources" and/or "outputs"') },
  );
// One block schema per form, shared by every kind: the JSON Schema then holds each form once ($defs).
const extensionsBy = (block: ReturnType<typeof extensionBlock>, what: string) =>
  z
    .strictObject(Object.fromEntries(STACK_KINDS.map((kind) => [kind, block.optional()])) as Record<StackKind, z.ZodOptional<typeof block>>, {
      error: shape(`an object by stack kind, e.g. { "storage": { "resources": { ... } } }`),
    })
    .describe(what);

export const extensionsSchema = extensionsBy(
  extensionBlock(rawResourceSchema, rawOutputSchema).meta({ id: 'RawExtension' }),
  'Raw CloudFormation resources and outputs merged into the stack of each kind.',
);
/** A stage's layer: any field of a resource, merged over the base field by field (null removes one). */
export const stageExtensionsSchema = extensionsBy(
  extensionBlock(rawResourceSchema.partial(), rawOutputSchema.partial()).meta({ id: 'RawExtensionStageLayer' }),
  "This stage's values over `extensions`: objects merge key by key, lists and values replace, null removes; a resource with a Type exists in this stage only.",
);

export const stageSettingsSchema = z
  .strictObject(
    {
      account: account.optional().describe('AWS account id the stage deploys to.'),
      region: region.optional().describe('AWS region the stage deploys to.'),
      azs: int(1, 3, 'a number of availability zones').optional().describe('Availability zones the VPC spans.'),
      availabilityZones: z
        .array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, { error: 'expected an availability zone name, e.g. "us-west-1b"' }))
        .min(1, { error: 'expected 1 to 3 availability zone names' })
        .max(3, { error: 'expected 1 to 3 availability zone names' })
        .optional()
        .describe('Zone names, for regions whose zones are not <region>a, b, c (e.g. us-west-1). Overrides azs.'),
      natGateways: int(0, 3, 'a number of NAT gateways')
        .optional()
        .describe('NAT gateways (0 = private subnets without internet egress; one per AZ for high availability).'),
      lambda: lambdaSettingsSchema.optional(),
      logRetentionDays: z
        .union(LOG_RETENTION_DAYS.map((d) => z.literal(d)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>], {
          error: `expected one of the retention periods CloudWatch Logs allows: ${LOG_RETENTION_DAYS.join(', ')}`,
        })
        .optional()
        .describe('Days CloudWatch Logs keeps function logs.'),
      alarms: alarmSettingsSchema.optional(),
      api: apiSettingsSchema.optional(),
      pointInTimeRecovery: bool('point-in-time recovery for the table').optional().describe('DynamoDB point-in-time recovery (backups).'),
      waf: bool('WAF on or off').optional().describe('Protect the API and the load balancer with a WAF web ACL.'),
      canary: bool('canary delivery of function updates')
        .optional()
        .describe("Shift 10% of traffic to a new function version for 5 minutes, rolled back when the function's error or duration alarm fires; otherwise all at once."),
      functions: z
        .record(z.string(), functionOverridesSchema, { error: shape('an object of functions by name, e.g. { "api": { "reservedConcurrency": 50 } }') })
        .optional()
        .describe('Per-function settings in this stage, by function name.'),
      service: serviceSettingsSchema.optional(),
      slo: sloSettingsSchema.optional(),
      search: searchSettingsSchema.optional(),
      graph: graphSettingsSchema.optional(),
      retainData: bool('keep data resources when the stage is destroyed')
        .optional()
        .describe('Keep the table, bucket and key when the stage is destroyed.'),
      protected: bool('protect the stage')
        .optional()
        .describe('Termination protection, retained data, and a typed confirmation plus a flag to destroy.'),
      alarmEmail: z
        .string({ error: 'expected an e-mail address' })
        .regex(EMAIL, { error: 'expected an e-mail address, e.g. "oncall@example.com"' })
        .optional()
        .describe('Address subscribed to the alert topic.'),
      extensions: stageExtensionsSchema.optional(),
    },
    { error: shape('an object of stage settings, e.g. { "account": "123456789012", "region": "us-east-1" }') },
  )
  .describe('Settings of a stage; any of them can also be given under "defaults".');

const httpTrigger = z.strictObject({
  type: z.literal('http'),
  method: z.enum(HTTP_METHODS, { error: `expected one of ${HTTP_METHODS.join(', ')}` }).default('ANY'),
  path: z
    .string({ error: 'expected a route path such as "/orders/{id}"' })
    .regex(/^\/[A-Za-z0-9._~{}\/-]*$/, { error: 'expected a route path starting with "/", such as "/orders/{id}"' }),
});
const scheduleTrigger = z.strictObject({
  type: z.literal('schedule'),
  expression: z
    .string({ error: 'expected a schedule such as "rate(5 minutes)" or "cron(0 3 * * ? *)"' })
    .regex(/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(\S+( \S+){5}\))$/, {
      error: 'expected "rate(N minutes|hours|days)" or a six-field "cron(...)" expression',
    }),
});
const s3Trigger = z.strictObject({
  type: z.literal('s3'),
  prefix: z.string({ error: 'expected a key prefix such as "logs/"' }).optional(),
  suffix: z.string({ error: 'expected a key suffix such as ".json"' }).optional(),
});
const queueTrigger = z.strictObject({
  type: z.literal('queue'),
  batchSize: int(1, 10000, 'a batch size').default(10),
});

export const triggerSchema = z
  .discriminatedUnion('type', [httpTrigger, scheduleTrigger, s3Trigger, queueTrigger], {
    error: 'expected a trigger with "type" one of: http, schedule, s3, queue',
  })
  .describe('What invokes the function: an HTTP route, a schedule, an object created in the bucket, or the work queue.');

export const functionSchema = z.strictObject(
  {
    name: z
      .string({ error: 'expected a function name' })
      .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, {
        error: 'expected lowercase letters, digits and hyphens, starting with a letter, e.g. "log-processor"',
      })
      .describe('Short name; the deployed function is <project>-<stage>-<name>.'),
    runtime: z.enum(RUNTIMES, { error: `expected one of ${RUNTIMES.join(', ')}` }).default(DEFAULT_RUNTIME),
    handler: z
      .string({ error: 'expected a handler such as "orders.handlers.api.handler"' })
      .regex(/^[A-Za-z_][\w/-]*(\.[A-Za-z_]\w*)+$/, {
        error: 'expected "<module path>.<function>", e.g. "orders.handlers.api.handler"',
      })
      .describe('Python: <package>.handlers.<module>.handler; Node.js: <file>.<export>.'),
    source: z
      .string({ error: 'expected a directory path relative to the config file' })
      .min(1, { error: 'expected a directory path relative to the config file, e.g. "src"' })
      .default('src')
      .describe('Source directory, relative to the config file; it must lie inside the project.'),
    exclude: z
      .array(z.string({ error: 'expected a glob pattern, e.g. "tests" or "*.csv"' }).min(1, { error: 'expected a glob pattern, e.g. "tests" or "*.csv"' }), {
        error: shape('a list of glob patterns, e.g. ["tests", "*.csv"]'),
      })
      .optional()
      .describe('Paths under source left out of the bundle, as glob patterns relative to source; a pattern without a slash matches a name at any depth. Dotfiles, cdk.out, __pycache__ and the project root\'s node_modules are always left out.'),
    requirements: z
      .string({ error: 'expected a file path relative to the config file' })
      .min(1, { error: 'expected a file path relative to the config file, e.g. "requirements.txt"' })
      .default('requirements.txt')
      .describe('Python requirements file, relative to the config file; installed into the bundle when it lists anything.'),
    memory: int(128, 10240, 'memory in MB').optional().describe('Overrides the stage default.'),
    timeout: int(1, 900, 'a timeout in seconds').optional().describe('Overrides the stage default.'),
    access: z
      .array(
        // Both branches say the same: zod reports the failing branch that matched the type (a string).
        z.union([z.enum(ACCESS_GRANTS, { error: ACCESS_ERROR }), z.string().regex(EXTENSION_GRANT, { error: ACCESS_ERROR })], { error: ACCESS_ERROR }),
        { error: shape('a list of grants, e.g. ["table:read", "queue:send"]') },
      )
      .default([])
      .describe('What the function may use; it gets only these permissions. An extension resource (published by spec3.extend.ts) is named "<name>:read", ":write" or ":readwrite".'),
    triggers: z
      .array(triggerSchema, { error: shape('a list of triggers, e.g. [{ "type": "http", "method": "GET", "path": "/items" }]') })
      .default([]),
    environment: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name: letters, digits and underscores, not starting with a digit, e.g. "LOG_LEVEL"' }), z.string({ error: 'expected a string value' }))
      .default({})
      .describe('Extra environment variables (never secrets: they end up in the template).'),
  },
  { error: shape('a function object, e.g. { "name": "api", "handler": "orders.handlers.api.handler" }') },
);

export const featuresSchema = z
  .strictObject(
    {
      api: z
        .strictObject({
          type: z.enum(['rest', 'http'], { error: 'expected "rest" (API Gateway REST API) or "http" (HTTP API)' }).default('rest'),
          cors: z.array(z.string()).default(['*']).describe('Allowed origins.'),
        })
        .optional()
        .describe('An API Gateway in front of the functions with HTTP triggers.'),
      vpc: bool('create the VPC').default(true).describe('A VPC per stage (network stack).'),
      pipeline: z
        .strictObject({
          github: z
            .string({ error: 'expected "owner/repository"' })
            .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: 'expected "owner/repository", e.g. "acme/orders"' }),
          branch: z.string().default('main'),
          oidcProvider: z
            .enum(['create', 'existing'], { error: 'expected "create" or "existing"' })
            .default('create')
            .describe('"create": the first stage of each account (in config order) creates the GitHub OIDC provider; "existing": the account already has one.'),
        })
        .optional()
        .describe('Deploy from GitHub Actions with OIDC: a provider and one deploy role per stage.'),
      service: z
        .strictObject({
          source: z
            .string({ error: 'expected a directory with a Dockerfile, relative to the config file' })
            .min(1, { error: 'expected a directory with a Dockerfile, relative to the config file, e.g. "service"' })
            .optional()
            .describe('Directory with the Dockerfile; the image is built and published as an asset.'),
          image: z
            .string({ error: 'expected an image URI such as "public.ecr.aws/nginx/nginx:1.27"' })
            .regex(/^[a-z0-9.-]+(:\d+)?\/[\w./-]+(:[\w.-]+|@sha256:[a-f0-9]{64})?$/, {
              error: 'expected an image URI such as "public.ecr.aws/nginx/nginx:1.27" or "123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:..."',
            })
            .optional()
            .describe('An image URI, instead of source.'),
          port: int(1, 65535, 'a port').default(8080).describe('Port the container listens on.'),
          healthCheckPath: z
            .string({ error: 'expected a path such as "/health"' })
            .regex(/^\/[\w./-]*$/, { error: 'expected a path starting with "/", such as "/health"' })
            .default('/health'),
          secrets: z
            .array(
              z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'expected an environment variable name in capitals, e.g. "DB_PASSWORD"' }),
              { error: shape('a list of environment variable names, e.g. ["DB_PASSWORD"]') },
            )
            .default([])
            .describe('Names of secrets spec3 creates in Secrets Manager and injects as environment variables; values are set in Secrets Manager, never here.'),
          environment: z
            .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name, e.g. "LOG_LEVEL"' }), z.string({ error: 'expected a string value' }))
            .default({}),
          xray: bool('an X-Ray sidecar').default(false).describe('Run the X-Ray daemon beside the container.'),
        })
        .refine((s) => (s.source === undefined) !== (s.image === undefined), {
          error: 'expected exactly one of "source" (a Dockerfile directory) or "image" (an image URI)',
        })
        .optional()
        .describe('A container service: ECS Fargate behind an Application Load Balancer.'),
      search: z
        .strictObject({})
        .optional()
        .describe('An OpenSearch Serverless vector search collection in the stage VPC.'),
      graph: z
        .strictObject({
          engineVersion: z.string().regex(/^\d+(\.\d+){1,3}$/, { error: 'expected a Neptune engine version such as "1.3.2.1"' }).default('1.3.2.1'),
        })
        .optional()
        .describe('A Neptune graph database cluster in the private subnets.'),
    },
    { error: shape('an object of features, e.g. { "api": { "type": "rest" }, "vpc": true }') },
  )
  .default({ vpc: true });

export const configSchema = z
  .strictObject(
    {
      $schema: z.string().optional(),
      project: z
        .string({ error: 'expected a project name' })
        .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, {
          error: 'expected lowercase letters, digits and hyphens, starting with a letter, e.g. "orders"',
        })
        .max(20, { error: 'expected at most 20 characters (it prefixes every resource name)' })
        .describe('Project name; prefixes every stack and resource.'),
      qualifier: z
        .string()
        .regex(/^[a-z0-9]{1,10}$/, { error: 'expected 1 to 10 lowercase letters or digits, e.g. "hnb659fds" (the CDK default)' })
        .optional()
        .describe('CDK bootstrap qualifier of the accounts this project deploys to (default "hnb659fds", as `cdk bootstrap`).'),
      requireApproval: z
        .enum(APPROVAL_LEVELS, { error: `expected one of ${APPROVAL_LEVELS.join(', ')}` })
        .optional()
        .describe(
          'When deploy asks for approval: "broadening" (default) when IAM or security-group access widens, "any" for every change, "never". Without a terminal a needed approval fails the deploy unless --yes is given. The --require-approval flag overrides it.',
        ),
      defaults: stageSettingsSchema.default({}),
      stages: z
        .record(
          z.string().regex(/^[a-z][a-z0-9]{0,9}$/, {
            error: 'expected a stage name of lowercase letters and digits, at most 10 characters, e.g. "dev"',
          }),
          stageSettingsSchema,
          { error: shape('an object of stages, e.g. { "dev": { "account": "123456789012", "region": "us-east-1" } }') },
        )
        .refine((stages) => Object.keys(stages).length > 0, { error: 'expected at least one stage, e.g. "dev"' }),
      functions: z
        .array(functionSchema, { error: shape('a list of functions, e.g. [{ "name": "api", "handler": "orders.handlers.api.handler" }]') })
        .default([]),
      features: featuresSchema,
      extensions: extensionsSchema.optional(),
    },
    { error: shape('a JSON object at the top level, e.g. { "project": "orders", "stages": { "dev": { "account": "123456789012", "region": "us-east-1" } } }') },
  )
  .describe('spec3 project configuration.');

export type Spec3ConfigInput = z.input<typeof configSchema>;
export type Spec3Config = z.output<typeof configSchema>;
export type StageSettings = z.output<typeof stageSettingsSchema>;
export type ServiceConfig = NonNullable<z.output<typeof featuresSchema>['service']>;
export type FunctionConfig = z.output<typeof functionSchema>;
export type TriggerConfig = z.output<typeof triggerSchema>;
export type Runtime = (typeof RUNTIMES)[number];
export type AccessGrant = (typeof ACCESS_GRANTS)[number];
export type RawResourceConfig = z.output<typeof rawResourceSchema>;
export type ExtensionsConfig = z.output<typeof extensionsSchema>;
export type StageExtensionsConfig = z.output<typeof stageExtensionsSchema>;
