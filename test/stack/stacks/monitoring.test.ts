import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FAST_BURN_RATE } from '../../../src/stack/monitoring/slo.js';
import { SAMPLE_FUNCTIONS, sampleConfig } from '../../helpers/project.js';
import { onlyResource, resourcesOf, ssmRef, tunedConfig, useStages, type BuiltStage } from '../build.js';
import { nagFindings } from '../nag.js';
import { expectNoLintErrors } from '../lint.js';

const built = useStages(['dev', 'staging', 'prod'] as const);
const tuned = useStages(['staging'] as const, tunedConfig);
const bare = useStages(['dev'] as const, () => sampleConfig({ functions: [], features: { vpc: false } }));
const httpApi = useStages(['dev'] as const, () =>
  sampleConfig({ features: { vpc: false, api: { type: 'http' } }, stages: { ...sampleConfig().stages, dev: { account: '123456789012', region: 'us-east-1', slo: { availability: 99.95 } } } }),
);
const IMAGE = 'public.ecr.aws/nginx/nginx:1.27';
/** A REST API and a container service: two request sources for the SLO. */
const withService = useStages(['dev', 'prod'] as const, () => sampleConfig({ features: { vpc: true, api: { type: 'rest' }, service: { image: IMAGE } } }));
/** A container service alone: no functions, no API. */
const serviceOnly = useStages(['staging'] as const, () => sampleConfig({ functions: [], features: { vpc: true, service: { image: IMAGE } } }));

const NAMES = SAMPLE_FUNCTIONS.map((f) => f.name);
const alarm = (stage: 'dev' | 'prod', name: string) =>
  onlyResource(built[stage].template('monitoring'), 'AWS::CloudWatch::Alarm', { AlarmName: `orders-${stage}-${name}` });
const alarmNames = (template: Template) => Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties!.AlarmName as string);

// --- The dashboard body, read back as JSON --------------------------------------------------

interface Widget {
  type: string;
  width: number;
  properties: { title?: string; markdown?: string; view?: string; metrics?: unknown[][]; alarms?: string[]; annotations?: { horizontal?: { value: number; label: string; yAxis: string }[] }; setPeriodToTimeRange?: boolean };
}

/** A plotted line: a metric (namespace, name, dimensions) or an expression, with its options. */
interface Line {
  namespace?: string;
  metricName?: string;
  dimensions: Record<string, string>;
  options: { expression?: string; id?: string; stat?: string; period?: number; label?: string; visible?: boolean; yAxis?: string };
}

/**
 * The dashboard's widgets. The body is an Fn::Join of JSON text and tokens; each `{ Ref: X }` is read
 * back as `{{X}}` and each `{ Fn::GetAtt: [X, Arn] }` as `{{X.Arn}}`, so values can be compared.
 */
function widgetsOf(template: Template): Widget[] {
  const join = onlyResource(template, 'AWS::CloudWatch::Dashboard').Properties!.DashboardBody['Fn::Join'] as [string, unknown[]];
  const text = join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const token = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      if (token.Ref) return `{{${token.Ref}}}`;
      if (token['Fn::GetAtt']) return `{{${token['Fn::GetAtt'].join('.')}}}`;
      throw new Error(`unexpected token in the dashboard body: ${JSON.stringify(part)}`);
    })
    .join('');
  return (JSON.parse(text) as { widgets: Widget[] }).widgets;
}

const widget = (template: Template, title: string): Widget => {
  const found = widgetsOf(template).filter((w) => w.properties.title === title);
  if (found.length !== 1) throw new Error(`expected one widget titled "${title}", found ${found.length}`);
  return found[0]!;
};

function linesOf(w: Widget): Line[] {
  return (w.properties.metrics ?? []).map((row) => {
    const options = (typeof row.at(-1) === 'object' ? row.at(-1) : {}) as Line['options'];
    const parts = row.filter((p) => typeof p === 'string') as string[];
    const [namespace, metricName, ...dims] = parts;
    const dimensions: Record<string, string> = {};
    for (let i = 0; i < dims.length; i += 2) dimensions[dims[i]!] = dims[i + 1]!;
    return { namespace, metricName, dimensions, options };
  });
}

/** A template parameter reference as it reads in the parsed dashboard body. */
const inBody = (ref: { Ref: string }) => `{{${ref.Ref}}}`;
/** The ARN of an alarm of the template, as it reads in the parsed dashboard body. */
const alarmArn = (template: Template, alarmName: string) =>
  `{{${onlyResource(template, 'AWS::CloudWatch::Alarm', { AlarmName: alarmName }).id}.Arn}}`;

// CloudWatch graphs a metric without a period over 300 seconds, and CDK leaves 300 out.
const FIVE_MINUTES = 300;

describe('monitoring stack: alarms', () => {
  it('has 3 alarms per function, 2 dead-letter queue alarms, an API 5xx alarm and the SLO fast-burn alarm', () => {
    const names = alarmNames(built.dev.template('monitoring'));
    expect(names.sort()).toEqual(
      [
        ...NAMES.flatMap((n) => [`orders-dev-${n}-errors`, `orders-dev-${n}-duration`, `orders-dev-${n}-throttles`]),
        'orders-dev-work-dlq-depth',
        'orders-dev-functions-dlq-depth',
        'orders-dev-api-5xx',
        'orders-dev-slo-fast-burn',
      ].sort(),
    );
    expect(names).toHaveLength(3 * 5 + 2 + 1 + 1);
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

  it('alarms on HTTP API 5xx by API id', () => {
    const template = httpApi.dev.template('monitoring');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'orders-dev-api-5xx',
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: ssmRef(template, '/spec3/orders/dev/api/api-id') }],
    });
  });

  it('writes every alarm but the SLO one on a single metric, which the local AWS creates as it is', () => {
    for (const b of [built.prod, withService.dev]) {
      const alarms = Object.values(resourcesOf(b.template('monitoring'), 'AWS::CloudWatch::Alarm'));
      const math = alarms.filter((a) => a.Properties!.Metrics !== undefined).map((a) => a.Properties!.AlarmName);
      expect(math).toEqual([`orders-${b.stage.name}-slo-fast-burn`]);
      for (const a of alarms.filter((x) => x.Properties!.Metrics === undefined)) expect(a.Properties!.MetricName).toEqual(expect.any(String));
    }
  });

  it('sends every alarm to the alert topic', () => {
    for (const b of [built.dev, built.prod, withService.dev]) {
      const template = b.template('monitoring');
      template.allResourcesProperties('AWS::CloudWatch::Alarm', {
        AlarmActions: [ssmRef(template, `/spec3/orders/${b.stage.name}/messaging/alert-topic-arn`)],
      });
    }
  });

  it('without functions, API or service, has only the two dead-letter queue alarms', () => {
    expect(alarmNames(bare.dev.template('monitoring')).sort()).toEqual(['orders-dev-functions-dlq-depth', 'orders-dev-work-dlq-depth']);
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

  it('graphs invocations, errors and throttles (5-minute sums) and p99 duration of each function, by function name', () => {
    const template = built.dev.template('monitoring');
    for (const name of NAMES) {
      const counts = linesOf(widget(template, `${name} invocations, errors and throttles`));
      expect(counts.map((l) => [l.namespace, l.metricName, l.dimensions, l.options.stat, l.options.period ?? FIVE_MINUTES])).toEqual(
        ['Invocations', 'Errors', 'Throttles'].map((m) => ['AWS/Lambda', m, { FunctionName: `orders-dev-${name}` }, 'Sum', FIVE_MINUTES]),
      );
      const duration = widget(template, `${name} duration p99 (ms)`);
      expect(linesOf(duration).map((l) => [l.metricName, l.dimensions, l.options.stat])).toEqual([['Duration', { FunctionName: `orders-dev-${name}` }, 'p99']]);
      expect(duration.properties.annotations?.horizontal).toEqual([expect.objectContaining({ value: alarm('dev', `${name}-duration`).Properties!.Threshold, label: 'alarm' })]);
    }
  });

  it('shows the three alarms of each function in its status widget', () => {
    const template = built.dev.template('monitoring');
    for (const name of NAMES) {
      const w = widget(template, `${name} alarms`);
      expect(w.type).toBe('alarm');
      expect(w.properties.alarms).toEqual(['errors', 'duration', 'throttles'].map((s) => alarmArn(template, `orders-dev-${name}-${s}`)));
    }
  });

  it('in a canary stage, adds the rollback alarms of the compute stack to each function, by the ARN their names imply', () => {
    const template = built.prod.template('monitoring');
    for (const name of NAMES) {
      const shown = widget(template, `${name} alarms`).properties.alarms!;
      expect(shown.slice(3)).toEqual(
        ['errors', 'duration'].map((s) => `arn:{{AWS::Partition}}:cloudwatch:us-east-1:123456789012:alarm:orders-prod-${name}-rollback-${s}`),
      );
    }
    // The compute stack of that stage does name its rollback alarms so.
    const compute = alarmNames(built.prod.template('compute'));
    for (const name of NAMES) expect(compute).toEqual(expect.arrayContaining([`orders-prod-${name}-rollback-errors`, `orders-prod-${name}-rollback-duration`]));
    // Without canary delivery there are none to show.
    expect(widget(built.dev.template('monitoring'), 'api alarms').properties.alarms).toHaveLength(3);
  });

  it('graphs REST API requests, 4xx, 5xx, p99 latency and p99 integration latency by API name', () => {
    const template = built.dev.template('monitoring');
    const apiName = inBody(ssmRef(template, '/spec3/orders/dev/api/api-name'));
    const counts = linesOf(widget(template, 'API requests, 4xx and 5xx'));
    expect(counts.map((l) => [l.namespace, l.metricName, l.dimensions, l.options.stat])).toEqual(
      ['Count', '4XXError', '5XXError'].map((m) => ['AWS/ApiGateway', m, { ApiName: apiName }, 'Sum']),
    );
    const latency = linesOf(widget(template, 'API latency p99 (ms)'));
    expect(latency.map((l) => [l.metricName, l.dimensions, l.options.stat])).toEqual([
      ['Latency', { ApiName: apiName }, 'p99'],
      ['IntegrationLatency', { ApiName: apiName }, 'p99'],
    ]);
    expect(widget(template, 'API alarms').properties.alarms).toEqual([alarmArn(template, 'orders-dev-api-5xx')]);
  });

  it('graphs an HTTP API by API id, with its own error metric names', () => {
    const template = httpApi.dev.template('monitoring');
    const apiId = inBody(ssmRef(template, '/spec3/orders/dev/api/api-id'));
    expect(linesOf(widget(template, 'API requests, 4xx and 5xx')).map((l) => [l.metricName, l.dimensions])).toEqual(
      ['Count', '4xx', '5xx'].map((m) => [m, { ApiId: apiId }]),
    );
    expect(linesOf(widget(template, 'API latency p99 (ms)')).map((l) => l.metricName)).toEqual(['Latency', 'IntegrationLatency']);
  });

  it('graphs the depth of both dead-letter queues beside their alarms', () => {
    const template = built.dev.template('monitoring');
    expect(linesOf(widget(template, 'Dead-letter queue depth')).map((l) => [l.metricName, l.dimensions, l.options.stat])).toEqual(
      ['work-dlq-name', 'functions-dlq-name'].map((p) => [
        'ApproximateNumberOfMessagesVisible',
        { QueueName: inBody(ssmRef(template, `/spec3/orders/dev/messaging/${p}`)) },
        'Maximum',
      ]),
    );
    expect(widget(template, 'Dead-letter queues').properties.alarms).toEqual(
      ['work-dlq-depth', 'functions-dlq-depth'].map((a) => alarmArn(template, `orders-dev-${a}`)),
    );
  });

  it('has no API or service widgets in a stage without them', () => {
    const titles = widgetsOf(bare.dev.template('monitoring')).map((w) => w.properties.title);
    expect(titles).toEqual([undefined, 'Dead-letter queue depth', 'Dead-letter queues']);
  });
});

describe('monitoring stack: availability SLO', () => {
  const restRate = (w: string) => `IF((FILL(requests_api_${w},0)) > 0, 100 * (FILL(errors_api_${w},0)) / (FILL(requests_api_${w},0)), 0)`;

  it.each([
    ['dev', 99.5, 0.5],
    ['staging', 99.9, 0.1],
    ['prod', 99.9, 0.1],
  ] as const)('%s: targets %s percent availability, with an error budget line at %s percent', (stage, target, budget) => {
    const graph = widget(built[stage].template('monitoring'), `SLO: ${target}% availability: error rate and budget burn`);
    expect(graph.properties.annotations?.horizontal).toEqual([
      { value: budget, label: `error budget ${budget}%`, yAxis: 'left' },
      { value: FAST_BURN_RATE, label: 'fast burn 14.4x (alarm)', yAxis: 'right' },
    ]);
    const availability = widget(built[stage].template('monitoring'), `Availability (target ${target}%)`);
    expect(availability.properties.view).toBe('singleValue');
  });

  it('measures the REST API error rate as 5XXError per Count, and burn rates over 1 h and 6 h as error rate per budget', () => {
    const template = built.prod.template('monitoring');
    const apiName = inBody(ssmRef(template, '/spec3/orders/prod/api/api-name'));
    const lines = linesOf(widget(template, 'SLO: 99.9% availability: error rate and budget burn'));
    const expressions = lines.filter((l) => l.options.expression).map((l) => [l.options.label, l.options.expression, l.options.period ?? FIVE_MINUTES, l.options.yAxis ?? 'left']);
    expect(expressions).toEqual([
      ['error rate % (5m)', restRate('5m'), 300, 'left'],
      ['burn rate (1h)', `${restRate('1h')} / 0.1`, 3600, 'right'],
      ['burn rate (6h)', `${restRate('6h')} / 0.1`, 21600, 'right'],
    ]);
    const inputs = lines.filter((l) => !l.options.expression);
    expect(inputs.every((l) => l.options.visible === false && l.options.stat === 'Sum' && l.dimensions.ApiName === apiName)).toBe(true);
    expect(inputs.map((l) => [l.options.id, l.metricName, l.options.period ?? FIVE_MINUTES])).toEqual([
      ['requests_api_5m', 'Count', 300],
      ['errors_api_5m', '5XXError', 300],
      ['requests_api_1h', 'Count', 3600],
      ['errors_api_1h', '5XXError', 3600],
      ['requests_api_6h', 'Count', 21600],
      ['errors_api_6h', '5XXError', 21600],
    ]);
  });

  it('shows availability over the dashboard time range as 100 minus the error rate', () => {
    const w = widget(built.dev.template('monitoring'), 'Availability (target 99.5%)');
    expect(w.properties.setPeriodToTimeRange).toBe(true);
    expect(linesOf(w)[0]!.options.expression).toBe(`100 - ${restRate('5m')}`);
  });

  it('alarms to the alert topic when the error budget burns 14.4x or faster over one hour', () => {
    const template = built.prod.template('monitoring');
    const apiName = ssmRef(template, '/spec3/orders/prod/api/api-name');
    const fastBurn = onlyResource(template, 'AWS::CloudWatch::Alarm', { AlarmName: 'orders-prod-slo-fast-burn' }).Properties!;
    expect(fastBurn).toMatchObject({
      Threshold: 14.4,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [ssmRef(template, '/spec3/orders/prod/messaging/alert-topic-arn')],
    });
    expect(fastBurn.MetricName).toBeUndefined();
    const metrics = fastBurn.Metrics as { Id: string; Expression?: string; ReturnData: boolean; MetricStat?: { Metric: unknown; Period: number; Stat: string } }[];
    expect(metrics.filter((m) => m.ReturnData).map((m) => m.Expression)).toEqual([`${restRate('1h')} / 0.1`]);
    expect(metrics.filter((m) => !m.ReturnData)).toEqual([
      expect.objectContaining({ Id: 'requests_api_1h', MetricStat: { Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiName', Value: apiName }] }, Period: 3600, Stat: 'Sum' } }),
      expect.objectContaining({ Id: 'errors_api_1h', MetricStat: { Metric: { Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: [{ Name: 'ApiName', Value: apiName }] }, Period: 3600, Stat: 'Sum' } }),
    ]);
  });

  it("takes the stage's own target (stages.dev.slo.availability 99.95 -> 0.05% budget) and an HTTP API's 5xx per Count", () => {
    const template = httpApi.dev.template('monitoring');
    const fastBurn = onlyResource(template, 'AWS::CloudWatch::Alarm', { AlarmName: 'orders-dev-slo-fast-burn' }).Properties!;
    const metrics = fastBurn.Metrics as { Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[];
    expect(metrics[0]!.Expression).toBe(`${restRate('1h')} / 0.05`);
    expect(metrics.slice(1).map((m) => m.MetricStat!.Metric.MetricName)).toEqual(['Count', '5xx']);
    expect(widget(template, 'SLO: 99.95% availability: error rate and budget burn').properties.annotations?.horizontal?.[0]?.value).toBe(0.05);
  });

  it('without an API or a service, says in a text widget that there is nothing to measure, with no metric math and no alarm', () => {
    const widgets = widgetsOf(bare.dev.template('monitoring'));
    expect(widgets[0]).toMatchObject({ type: 'text', width: 24 });
    expect(widgets[0]!.properties.markdown).toBe(
      '### SLO: 99.5% availability\nNo request metrics to measure availability on: this stage has neither an API nor a container service.',
    );
    expect(JSON.stringify(widgets)).not.toContain('expression');
    expect(alarmNames(bare.dev.template('monitoring'))).not.toContain('orders-dev-slo-fast-burn');
  });
});

describe('monitoring stack: container service', () => {
  const param = (b: BuiltStage, key: string) => ssmRef(b.template('monitoring'), `/spec3/orders/${b.stage.name}/service/${key}`);
  const serviceAlarm = (b: BuiltStage, name: string) =>
    onlyResource(b.template('monitoring'), 'AWS::CloudWatch::Alarm', { AlarmName: `orders-${b.stage.name}-${name}` }).Properties!;

  it('alarms on any unhealthy target, by load balancer and target group read from the service stack', () => {
    const b = withService.dev;
    expect(serviceAlarm(b, 'service-unhealthy-hosts')).toMatchObject({
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'UnHealthyHostCount',
      Statistic: 'Maximum',
      Period: 300,
      Dimensions: [
        { Name: 'LoadBalancer', Value: param(b, 'alb-full-name') },
        { Name: 'TargetGroup', Value: param(b, 'target-group-full-name') },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('alarms on target 5xx and on CPU at 85% for three periods', () => {
    const b = withService.dev;
    expect(serviceAlarm(b, 'service-target-5xx')).toMatchObject({
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Statistic: 'Sum',
      Dimensions: [{ Name: 'LoadBalancer', Value: param(b, 'alb-full-name') }],
      Threshold: 5,
    });
    expect(serviceAlarm(b, 'service-cpu')).toMatchObject({
      Namespace: 'AWS/ECS',
      MetricName: 'CPUUtilization',
      Statistic: 'Average',
      Dimensions: [
        { Name: 'ClusterName', Value: param(b, 'cluster-name') },
        { Name: 'ServiceName', Value: param(b, 'service-name') },
      ],
      Threshold: 85,
      EvaluationPeriods: 3,
    });
  });

  it('graphs requests, target and load balancer errors, p99 response time, host health, and task CPU and memory', () => {
    const b = withService.prod;
    const template = b.template('monitoring');
    const lb = inBody(param(b, 'alb-full-name'));
    const tg = inBody(param(b, 'target-group-full-name'));
    const line = (l: Line) => [l.namespace, l.metricName, l.dimensions, l.options.stat];
    expect(linesOf(widget(template, 'Load balancer requests and errors')).map(line)).toEqual(
      ['RequestCount', 'HTTPCode_Target_4XX_Count', 'HTTPCode_Target_5XX_Count', 'HTTPCode_ELB_5XX_Count'].map((m) => ['AWS/ApplicationELB', m, { LoadBalancer: lb }, 'Sum']),
    );
    expect(linesOf(widget(template, 'Load balancer response time p99 (s)')).map(line)).toEqual([['AWS/ApplicationELB', 'TargetResponseTime', { LoadBalancer: lb }, 'p99']]);
    expect(linesOf(widget(template, 'Targets healthy and unhealthy')).map(line)).toEqual([
      ['AWS/ApplicationELB', 'HealthyHostCount', { LoadBalancer: lb, TargetGroup: tg }, 'Minimum'],
      ['AWS/ApplicationELB', 'UnHealthyHostCount', { LoadBalancer: lb, TargetGroup: tg }, 'Maximum'],
    ]);
    const ecs = { ClusterName: inBody(param(b, 'cluster-name')), ServiceName: inBody(param(b, 'service-name')) };
    // Average is CloudWatch's default statistic, which CDK leaves out.
    expect(linesOf(widget(template, 'Service CPU and memory (%)')).map((l) => [l.namespace, l.metricName, l.dimensions, l.options.stat ?? 'Average'])).toEqual([
      ['AWS/ECS', 'CPUUtilization', ecs, 'Average'],
      ['AWS/ECS', 'MemoryUtilization', ecs, 'Average'],
    ]);
    expect(widget(template, 'Service alarms').properties.alarms).toEqual(
      ['service-unhealthy-hosts', 'service-target-5xx', 'service-cpu'].map((a) => alarmArn(template, `orders-prod-${a}`)),
    );
  });

  it('measures availability over the API and the load balancer together', () => {
    const template = withService.prod.template('monitoring');
    const fastBurn = onlyResource(template, 'AWS::CloudWatch::Alarm', { AlarmName: 'orders-prod-slo-fast-burn' }).Properties!;
    const metrics = fastBurn.Metrics as { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[];
    expect(metrics[0]!.Expression).toBe(
      'IF((FILL(requests_api_1h,0) + FILL(requests_lb_1h,0)) > 0, 100 * (FILL(errors_api_1h,0) + FILL(errors_lb_1h,0)) / (FILL(requests_api_1h,0) + FILL(requests_lb_1h,0)), 0) / 0.1',
    );
    expect(metrics.slice(1).map((m) => [m.Id, m.MetricStat!.Metric.MetricName])).toEqual([
      ['requests_api_1h', 'Count'],
      ['errors_api_1h', '5XXError'],
      ['requests_lb_1h', 'RequestCount'],
      ['errors_lb_1h', 'HTTPCode_Target_5XX_Count'],
    ]);
  });

  it('measures availability on the load balancer alone when the stage has no API', () => {
    const template = serviceOnly.staging.template('monitoring');
    expect(alarmNames(template).sort()).toEqual(
      ['functions-dlq-depth', 'service-cpu', 'service-target-5xx', 'service-unhealthy-hosts', 'slo-fast-burn', 'work-dlq-depth'].map((n) => `orders-staging-${n}`),
    );
    const graph = linesOf(widget(template, 'SLO: 99.9% availability: error rate and budget burn'));
    expect(graph[0]!.options.expression).toBe('IF((FILL(requests_lb_5m,0)) > 0, 100 * (FILL(errors_lb_5m,0)) / (FILL(requests_lb_5m,0)), 0)');
  });
});

describe('monitoring stack: checks', () => {
  it('cfn-lint reports no errors on the monitoring templates of dev, staging and prod, with a service, an HTTP API, or nothing to measure', async () => {
    const stages = [built.dev, built.staging, built.prod, withService.dev, withService.prod, serviceOnly.staging, httpApi.dev, bare.dev];
    await expectNoLintErrors(stages.map((b) => b.template('monitoring')));
  });

  it.each([
    ['dev', () => built.dev],
    ['prod', () => built.prod],
    ['dev with a service', () => withService.dev],
  ] as const)('%s: cdk-nag finds no unacknowledged error in the monitoring stack', (_, b) => {
    const stage = b();
    const inMonitoring = nagFindings(stage)
      .filter((f) => f.severity === 'error')
      .flatMap((f) => f.paths.filter((p) => p.startsWith(`${stage.stack('monitoring').stackName}/`)).map((p) => `${f.rule} on ${p}`));
    expect(inMonitoring).toEqual([]);
  });
});
