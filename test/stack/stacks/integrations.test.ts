import { describe, expect, it } from 'vitest';
import { onlyResource, resourcesOf, ssmRef, tunedConfig, useStages } from '../build.js';

const built = useStages(['dev'] as const);
const tuned = useStages(['staging'] as const, tunedConfig);

const rule = (name: string) => onlyResource(built.dev.template('integrations'), 'AWS::Events::Rule', { Name: name });
const fnArn = (fn: string) => ssmRef(built.dev.template('integrations'), `/spec3/orders/dev/compute/fn-${fn}-arn`);

describe('integrations stack: schedules', () => {
  it('creates a rule per schedule trigger with the configured expression, targeting the function', () => {
    for (const [fn, expression] of [['health-monitor', 'rate(5 minutes)'], ['backup', 'cron(0 3 * * ? *)']] as const) {
      expect(rule(`orders-dev-${fn}-0`).Properties).toMatchObject({
        ScheduleExpression: expression,
        State: 'ENABLED',
        Targets: [{ Id: 'Target0', Arn: fnArn(fn), RetryPolicy: { MaximumRetryAttempts: 2 } }],
      });
    }
  });
});

describe('integrations stack: S3 object events', () => {
  it('creates an Object Created rule on the data bucket with the prefix filter', () => {
    const template = built.dev.template('integrations');
    const r = rule('orders-dev-log-processor-0');
    expect(r.Properties!.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: [ssmRef(template, '/spec3/orders/dev/storage/bucket-name')] },
        object: { key: [{ prefix: 'logs/' }] },
      },
    });
    expect(r.Properties!.Targets).toEqual([{ Id: 'Target0', Arn: fnArn('log-processor'), RetryPolicy: { MaximumRetryAttempts: 2 } }]);
  });

  it('filters on prefix and suffix with a wildcard, or on the suffix alone', () => {
    const template = tuned.staging.template('integrations');
    const keyFilter = (name: string) =>
      onlyResource(template, 'AWS::Events::Rule', { Name: name }).Properties!.EventPattern.detail.object;
    expect(keyFilter('orders-staging-log-processor-0')).toEqual({ key: [{ wildcard: 'logs/*.json' }] });
    expect(keyFilter('orders-staging-log-processor-1')).toEqual({ key: [{ suffix: '.csv' }] });
  });
});

describe('integrations stack: queue and permissions', () => {
  it('maps the work queue to its consumer with BatchSize 10 and partial batch failures', () => {
    const template = built.dev.template('integrations');
    const mapping = onlyResource(template, 'AWS::Lambda::EventSourceMapping');
    expect(mapping.Properties).toMatchObject({
      BatchSize: 10,
      EventSourceArn: ssmRef(template, '/spec3/orders/dev/messaging/work-queue-arn'),
      // The ARN of the live alias, not the bare name (which would invoke $LATEST).
      FunctionName: fnArn('analysis'),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('uses the configured batch size', () => {
    tuned.staging.template('integrations').hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 25 });
  });

  it('lets EventBridge invoke each rule target, from that rule only', () => {
    const template = built.dev.template('integrations');
    const rules = resourcesOf(template, 'AWS::Events::Rule');
    const permissions = Object.values(resourcesOf(template, 'AWS::Lambda::Permission')).map((p) => p.Properties);
    expect(permissions).toHaveLength(Object.keys(rules).length);
    expect(permissions).toHaveLength(3);
    for (const [id, r] of Object.entries(rules)) {
      expect(permissions).toContainEqual({
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        FunctionName: r.Properties!.Targets[0].Arn,
        SourceArn: { 'Fn::GetAtt': [id, 'Arn'] },
      });
    }
  });

  it('has nothing for the http-only api function', () => {
    const template = built.dev.template('integrations');
    expect(Object.keys(template.findParameters('*', { Default: '/spec3/orders/dev/compute/fn-api-arn' }))).toEqual([]);
  });
});
