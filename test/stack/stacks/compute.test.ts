import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SAMPLE_FUNCTIONS } from '../../helpers/project.js';
import { actionsOf, onlyResource, resourcesOf, roleStatements, ssmRef, tunedConfig, useStages, valuesUnder } from '../build.js';

const built = useStages(['dev', 'prod'] as const);
const tuned = useStages(['staging'] as const, tunedConfig);

const NAMES = SAMPLE_FUNCTIONS.map((f) => f.name);
const fnNamed = (stage: 'dev' | 'prod', name: string) =>
  onlyResource(built[stage].template('compute'), 'AWS::Lambda::Function', { FunctionName: `orders-${stage}-${name}` });

describe('compute stack: functions', () => {
  it('creates one function per configured function, named orders-<stage>-<name>', () => {
    for (const stage of ['dev', 'prod'] as const) {
      const functions = Object.values(resourcesOf(built[stage].template('compute'), 'AWS::Lambda::Function'));
      expect(functions.map((f) => f.Properties!.FunctionName)).toEqual(NAMES.map((n) => `orders-${stage}-${n}`));
    }
  });

  it('uses the configured runtime and handler', () => {
    for (const sample of SAMPLE_FUNCTIONS) {
      const fn = fnNamed('dev', sample.name);
      expect(fn.Properties!.Runtime).toBe('python3.13');
      expect(fn.Properties!.Handler).toBe(sample.handler);
    }
  });

  it('takes memory and timeout from the stage defaults', () => {
    for (const name of NAMES) {
      expect(fnNamed('dev', name).Properties).toMatchObject({ MemorySize: 256, Timeout: 30 });
    }
  });

  it("takes the stage's own Lambda defaults, and a function's overrides over them", () => {
    const template = tuned.staging.template('compute');
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'orders-staging-api', MemorySize: 512, Timeout: 20 });
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'orders-staging-analysis', MemorySize: 1024, Timeout: 120 });
  });

  it('passes the stage, project and foundation coordinates in the environment', () => {
    const template = built.dev.template('compute');
    const ref = (name: string) => ssmRef(template, `/spec3/orders/dev/${name}`);
    expect(fnNamed('dev', 'backup').Properties!.Environment).toEqual({
      Variables: {
        STAGE: 'dev',
        PROJECT: 'orders',
        TABLE_NAME: ref('storage/table-name'),
        BUCKET_NAME: ref('storage/bucket-name'),
        QUEUE_URL: ref('messaging/work-queue-url'),
        TOPIC_ARN: ref('messaging/alert-topic-arn'),
      },
    });
    expect(fnNamed('prod', 'api').Properties!.Environment.Variables).toMatchObject({ STAGE: 'prod', PROJECT: 'orders' });
  });

  it("adds a function's own environment variables", () => {
    tuned.staging.template('compute').hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'orders-staging-api',
      Environment: { Variables: Match.objectLike({ STAGE: 'staging', LOG_LEVEL: 'debug', TABLE_NAME: Match.anyValue() }) },
    });
  });

  it('traces every function with X-Ray and sends failed async invocations to the functions DLQ', () => {
    const template = built.dev.template('compute');
    template.allResourcesProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      DeadLetterConfig: { TargetArn: ssmRef(template, '/spec3/orders/dev/messaging/functions-dlq-arn') },
    });
  });
});

describe('compute stack: logs', () => {
  it('gives each function its log group /aws/lambda/<name>, kept 7 days in dev and 365 in prod', () => {
    for (const [stage, days] of [['dev', 7], ['prod', 365]] as const) {
      const template = built[stage].template('compute');
      const groups = Object.values(resourcesOf(template, 'AWS::Logs::LogGroup')).map((g) => g.Properties);
      expect(groups).toEqual(
        NAMES.map((n) => ({ LogGroupName: `/aws/lambda/orders-${stage}-${n}`, RetentionInDays: days, Tags: expect.any(Array) })),
      );
    }
  });

  it('points each function at its own log group', () => {
    const template = built.dev.template('compute');
    const group = onlyResource(template, 'AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/orders-dev-analysis' });
    expect(fnNamed('dev', 'analysis').Properties!.LoggingConfig).toEqual({ LogGroup: { Ref: group.id } });
  });
});

describe('compute stack: least privilege', () => {
  it('gives each function its own role, assumed by Lambda, with only the shared base policy attached', () => {
    const template = built.dev.template('compute');
    const roles = Object.values(resourcesOf(template, 'AWS::IAM::Role'));
    expect(roles).toHaveLength(NAMES.length);
    for (const role of roles) {
      expect(role.Properties!.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
      ]);
      expect(role.Properties!.ManagedPolicyArns).toEqual([ssmRef(template, '/spec3/orders/dev/security/function-base-policy-arn')]);
    }
  });

  it('lets the api function use the table but not the bucket or the queue', () => {
    const template = built.dev.template('compute');
    const statements = roleStatements(template, 'orders-dev-api');
    const actions = actionsOf(statements);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:DeleteItem']));
    expect(actions.filter((a) => a.startsWith('s3:'))).toEqual([]);
    expect(actions.filter((a) => a.startsWith('sqs:'))).toEqual(['sqs:SendMessage']); // only to its dead-letter queue
    const tableArn = ssmRef(template, '/spec3/orders/dev/storage/table-arn');
    expect(statements.find((s) => actionsOf([s]).includes('dynamodb:PutItem'))!.Resource).toEqual([
      tableArn,
      { 'Fn::Join': ['', [tableArn, '/index/gsi1']] },
    ]);
    // The table is encrypted with the stage key: exact KMS actions, no `kms:GenerateDataKey*` family.
    expect(statements.find((s) => s.Sid === 'StageKey')).toEqual({
      Sid: 'StageKey',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      Effect: 'Allow',
      Resource: ssmRef(template, '/spec3/orders/dev/security/key-arn'),
    });
  });

  it('lets the api function write only to its own log group', () => {
    const template = built.dev.template('compute');
    const group = onlyResource(template, 'AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/orders-dev-api' });
    const logs = roleStatements(template, 'orders-dev-api').filter((s) => actionsOf([s]).some((a) => a.startsWith('logs:')));
    expect(logs).toEqual([{ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [group.id, 'Arn'] } }]);
  });

  it('lets the analysis function consume the work queue its trigger implies', () => {
    const template = built.dev.template('compute');
    const statements = roleStatements(template, 'orders-dev-analysis');
    const consume = statements.find((s) => actionsOf([s]).includes('sqs:ReceiveMessage'));
    expect(consume).toBeDefined();
    expect(actionsOf([consume!])).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']));
    expect(consume!.Resource).toEqual(ssmRef(template, '/spec3/orders/dev/messaging/work-queue-arn'));
    // Its configured bucket:readwrite.
    const bucketArn = ssmRef(template, '/spec3/orders/dev/storage/bucket-arn');
    expect(statements.filter((s) => s.Sid === 'Bucket' || s.Sid === 'Objects')).toEqual([
      { Sid: 'Bucket', Action: ['s3:GetBucketLocation', 's3:ListBucket'], Effect: 'Allow', Resource: bucketArn },
      {
        Sid: 'Objects',
        Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', [bucketArn, '/*']] },
      },
    ]);
  });

  it('lets the S3-triggered log-processor read the bucket (implied) but not write it', () => {
    const actions = actionsOf(roleStatements(built.dev.template('compute'), 'orders-dev-log-processor'));
    expect(actions).toEqual(expect.arrayContaining(['s3:GetObject', 's3:ListBucket']));
    expect(actions).not.toContain('s3:PutObject');
    expect(actions).not.toContain('s3:DeleteObject');
    expect(actions).not.toContain('sqs:ReceiveMessage');
  });

  it('lets health-monitor publish to the encrypted topic, with the key', () => {
    const template = built.dev.template('compute');
    const statements = roleStatements(template, 'orders-dev-health-monitor');
    expect(statements).toEqual(
      expect.arrayContaining([
        { Action: 'sns:Publish', Effect: 'Allow', Resource: ssmRef(template, '/spec3/orders/dev/messaging/alert-topic-arn') },
        {
          Sid: 'StageKey',
          // Decrypt and DescribeKey for reading the table, Decrypt and GenerateDataKey for the topic.
          Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
          Effect: 'Allow',
          Resource: ssmRef(template, '/spec3/orders/dev/security/key-arn'),
        },
      ]),
    );
    // table:read only.
    expect(actionsOf(statements)).not.toContain('dynamodb:PutItem');
  });

  it('has no IAM statement with Action "*" in any stack', () => {
    for (const stage of ['dev', 'prod'] as const) {
      const statements = built[stage]
        .templates()
        .flatMap((t) => valuesUnder(t.toJSON(), 'Statement').flat() as { Action?: string | string[] }[]);
      const actions = actionsOf(statements);
      expect(actions.length).toBeGreaterThan(100);
      expect(actions).not.toContain('*');
      // Function roles name every data-plane action exactly.
      const roleActions = actionsOf(
        Object.values(resourcesOf(built[stage].template('compute'), 'AWS::IAM::Policy')).flatMap((p) => p.Properties!.PolicyDocument.Statement),
      );
      expect(roleActions.filter((a) => a.includes('*'))).toEqual([]);
    }
  });
});

describe('compute stack: outputs', () => {
  it("publishes the ARN of each function's live alias and the function name through SSM", () => {
    const template = built.dev.template('compute');
    const fn = fnNamed('dev', 'api');
    const alias = onlyResource(template, 'AWS::Lambda::Alias', { FunctionName: { Ref: fn.id }, Name: 'live' });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/spec3/orders/dev/compute/fn-api-arn', Value: { Ref: alias.id } });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/spec3/orders/dev/compute/fn-api-name', Value: { Ref: fn.id } });
    template.resourceCountIs('AWS::SSM::Parameter', NAMES.length * 2);
  });
});
