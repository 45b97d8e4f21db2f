import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SAMPLE_FUNCTIONS, sampleConfig } from '../../helpers/project.js';
import { onlyResource, resourcesOf, ssmRef, tunedConfig, useStages } from '../build.js';

const built = useStages(['dev', 'prod'] as const);
const tuned = useStages(['staging'] as const, tunedConfig);
const bare = useStages(['dev'] as const, () => sampleConfig({ functions: [], features: { vpc: false } }));

const NAMES = SAMPLE_FUNCTIONS.map((f) => f.name);
const alarm = (stage: 'dev' | 'prod', name: string) =>
  onlyResource(built[stage].template('monitoring'), 'AWS::CloudWatch::Alarm', { AlarmName: `orders-${stage}-${name}` });

describe('monitoring stack: alarms', () => {
  it('has 3 alarms per function, 2 dead-letter queue alarms and an API 5xx alarm', () => {
    const names = Object.values(resourcesOf(built.dev.template('monitoring'), 'AWS::CloudWatch::Alarm')).map((a) => a.Properties!.AlarmName);
    expect(names.sort()).toEqual(
      [
        ...NAMES.flatMap((n) => [`orders-dev-${n}-errors`, `orders-dev-${n}-duration`, `orders-dev-${n}-throttles`]),
        'orders-dev-work-dlq-depth',
        'orders-dev-functions-dlq-depth',
        'orders-dev-api-5xx',
      ].sort(),
    );
    expect(names).toHaveLength(3 * 5 + 2 + 1);
  });

  it('alarms on function errors at 5 in dev and 1 in prod, per 5-minute sum', () => {
    for (const [stage, threshold] of [['dev', 5], ['prod', 1]] as const) {
      for (const name of NAMES) {
        expect(alarm(stage, `${name}-errors`).Properties).toMatchObject({
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: `orders-${stage}-${name}` }],
          Statistic: 'Sum',
          Period: 300,
          Threshold: threshold,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
        });
      }
    }
  });

  it('alarms on p99 duration at 80% of the timeout (timeout*1000*80/100 ms)', () => {
    expect(alarm('dev', 'api-duration').Properties).toMatchObject({
      MetricName: 'Duration',
      ExtendedStatistic: 'p99',
      Threshold: 24000,
    });
    const template = tuned.staging.template('monitoring');
    // staging's own timeout of 20 s, and analysis's override of 120 s.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'orders-staging-api-duration', Threshold: 16000 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'orders-staging-analysis-duration', Threshold: 96000 });
  });

  it('alarms on any throttle', () => {
    expect(alarm('prod', 'backup-throttles').Properties).toMatchObject({ MetricName: 'Throttles', Statistic: 'Sum', Threshold: 1 });
  });

  it('alarms on messages in either dead-letter queue, named through SSM', () => {
    const template = built.dev.template('monitoring');
    for (const [alarmName, param] of [['work-dlq-depth', 'work-dlq-name'], ['functions-dlq-depth', 'functions-dlq-name']] as const) {
      expect(alarm('dev', alarmName).Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Statistic: 'Maximum',
        Dimensions: [{ Name: 'QueueName', Value: ssmRef(template, `/spec3/orders/dev/messaging/${param}`) }],
        Threshold: 1,
      });
    }
  });

  it('alarms on REST API 5xx by API name', () => {
    const template = built.dev.template('monitoring');
    expect(alarm('dev', 'api-5xx').Properties).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Dimensions: [{ Name: 'ApiName', Value: ssmRef(template, '/spec3/orders/dev/api/api-name') }],
      Threshold: 5,
    });
  });

  it('sends every alarm to the alert topic', () => {
    for (const stage of ['dev', 'prod'] as const) {
      const template = built[stage].template('monitoring');
      template.allResourcesProperties('AWS::CloudWatch::Alarm', {
        AlarmActions: [ssmRef(template, `/spec3/orders/${stage}/messaging/alert-topic-arn`)],
      });
    }
  });

  it('without functions or API, has only the two dead-letter queue alarms', () => {
    const names = Object.values(resourcesOf(bare.dev.template('monitoring'), 'AWS::CloudWatch::Alarm')).map((a) => a.Properties!.AlarmName);
    expect(names.sort()).toEqual(['orders-dev-functions-dlq-depth', 'orders-dev-work-dlq-depth']);
  });
});

describe('monitoring stack: dashboard', () => {
  it('creates one untagged dashboard named orders-<stage>', () => {
    for (const stage of ['dev', 'prod'] as const) {
      const dashboard = onlyResource(built[stage].template('monitoring'), 'AWS::CloudWatch::Dashboard');
      expect(dashboard.Properties!.DashboardName).toBe(`orders-${stage}`);
      expect(dashboard.Properties!.Tags).toBeUndefined();
    }
  });

  it('shows each function and the dead-letter queues', () => {
    built.dev.template('monitoring').hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardBody: {
        'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('"title":"analysis invocations and errors"')])],
      },
    });
    const body = JSON.stringify(onlyResource(built.dev.template('monitoring'), 'AWS::CloudWatch::Dashboard').Properties!.DashboardBody);
    for (const name of NAMES) expect(body).toContain(`${name} duration p99 (ms)`);
    expect(body).toContain('Dead-letter queues');
    expect(body).toContain('API 5xx');
  });
});
