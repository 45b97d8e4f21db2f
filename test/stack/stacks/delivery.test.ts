import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { Spec3ConfigInput } from '../../../src/config/schema.js';
import { SAMPLE_FUNCTIONS, sampleConfig } from '../../helpers/project.js';
import { onlyResource, resourcesOf, ssmRef, useStages, type BuiltStage } from '../build.js';
import { nagFindings } from '../nag.js';
import { expectNoLintErrors } from '../lint.js';

/** The sample project, with prod reserving 50 executions for `api` and keeping 5 of them warm. */
function concurrencyConfig(): Spec3ConfigInput {
  const base = sampleConfig();
  const prod = { ...base.stages.prod, functions: { api: { reservedConcurrency: 50, provisionedConcurrency: 5 } } };
  return { ...base, stages: { ...base.stages, prod } };
}

const built = useStages(['dev', 'staging', 'prod'] as const, concurrencyConfig);
const NAMES = SAMPLE_FUNCTIONS.map((f) => f.name);

const fnOf = (b: BuiltStage, name: string) =>
  onlyResource(b.template('compute'), 'AWS::Lambda::Function', { FunctionName: `orders-${b.stage.name}-${name}` });
/** The `live` alias of a function (matched by the function it belongs to). */
const aliasOf = (b: BuiltStage, name: string) =>
  onlyResource(b.template('compute'), 'AWS::Lambda::Alias', { FunctionName: { Ref: fnOf(b, name).id } });

describe('delivery: live alias on a published version', () => {
  it.each(['dev', 'prod'] as const)('%s: every function has one version and a `live` alias on it', (stage) => {
    const b = built[stage];
    const template = b.template('compute');
    template.resourceCountIs('AWS::Lambda::Version', NAMES.length);
    template.resourceCountIs('AWS::Lambda::Alias', NAMES.length);
    for (const name of NAMES) {
      const fn = fnOf(b, name);
      const version = onlyResource(template, 'AWS::Lambda::Version', { FunctionName: { Ref: fn.id } });
      expect(aliasOf(b, name).Properties).toMatchObject({ Name: 'live', FunctionVersion: { 'Fn::GetAtt': [version.id, 'Version'] } });
    }
  });

  it.each(['dev', 'prod'] as const)('%s: fn-<name>-arn carries the alias ARN, fn-<name>-name the function name', (stage) => {
    const b = built[stage];
    const template = b.template('compute');
    for (const name of NAMES) {
      const parameter = (key: string) =>
        onlyResource(template, 'AWS::SSM::Parameter', { Name: `/spec3/orders/${stage}/compute/fn-${name}-${key}` }).Properties!.Value;
      expect(parameter('arn')).toEqual({ Ref: aliasOf(b, name).id });
      expect(parameter('name')).toEqual({ Ref: fnOf(b, name).id });
    }
  });

  it('the API invokes the alias ARN it reads, and only lets API Gateway invoke that', () => {
    const template = built.prod.template('api');
    const aliasArn = ssmRef(template, '/spec3/orders/prod/compute/fn-api-arn');
    const permissions = Object.values(resourcesOf(template, 'AWS::Lambda::Permission'));
    expect(permissions.length).toBeGreaterThan(0);
    for (const p of permissions) expect(p.Properties!.FunctionName).toEqual(aliasArn);
    for (const m of Object.values(resourcesOf(template, 'AWS::ApiGateway::Method'))) {
      if (m.Properties!.HttpMethod === 'OPTIONS') continue;
      expect(JSON.stringify(m.Properties!.Integration.Uri)).toContain(JSON.stringify(aliasArn));
    }
  });

  it('schedules, S3 rules and the queue mapping target the alias ARN, never the bare name', () => {
    const template = built.prod.template('integrations');
    const aliasArn = (fn: string) => ssmRef(template, `/spec3/orders/prod/compute/fn-${fn}-arn`);
    const rules = Object.values(resourcesOf(template, 'AWS::Events::Rule'));
    expect(rules.map((r) => r.Properties!.Targets[0].Arn)).toEqual(
      expect.arrayContaining([aliasArn('health-monitor'), aliasArn('backup'), aliasArn('log-processor')]),
    );
    for (const p of Object.values(resourcesOf(template, 'AWS::Lambda::Permission'))) {
      expect(rules.map((r) => r.Properties!.Targets[0].Arn)).toContainEqual(p.Properties!.FunctionName);
    }
    expect(onlyResource(template, 'AWS::Lambda::EventSourceMapping').Properties!.FunctionName).toEqual(aliasArn('analysis'));
  });
});

describe('delivery: concurrency', () => {
  it('reserves concurrency on the function and provisions it on the live alias, from stages.prod.functions.api', () => {
    expect(fnOf(built.prod, 'api').Properties!.ReservedConcurrentExecutions).toBe(50);
    expect(aliasOf(built.prod, 'api').Properties!.ProvisionedConcurrencyConfig).toEqual({ ProvisionedConcurrentExecutions: 5 });
  });

  it('leaves other functions and stages unreserved and unprovisioned', () => {
    for (const b of [built.dev, built.prod]) {
      for (const name of NAMES.filter((n) => b.stage.name === 'dev' || n !== 'api')) {
        expect(fnOf(b, name).Properties!.ReservedConcurrentExecutions).toBeUndefined();
        expect(aliasOf(b, name).Properties!.ProvisionedConcurrencyConfig).toBeUndefined();
      }
    }
  });
});

describe('delivery: canary in prod, all at once elsewhere', () => {
  it('prod has one CodeDeploy Lambda application and a canary deployment group per function', () => {
    const template = built.prod.template('compute');
    expect(onlyResource(template, 'AWS::CodeDeploy::Application').Properties).toMatchObject({
      ApplicationName: 'orders-prod-functions',
      ComputePlatform: 'Lambda',
    });
    const groups = Object.values(resourcesOf(template, 'AWS::CodeDeploy::DeploymentGroup'));
    expect(groups.map((g) => g.Properties!.DeploymentGroupName).sort()).toEqual(NAMES.map((n) => `orders-prod-${n}`).sort());
    for (const g of groups) {
      expect(g.Properties).toMatchObject({
        DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
        AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
      });
    }
  });

  it("prod: each group watches exactly its function's rollback alarms on the live alias", () => {
    const b = built.prod;
    const template = b.template('compute');
    for (const sample of SAMPLE_FUNCTIONS) {
      const name = `orders-prod-${sample.name}`;
      const fn = fnOf(b, sample.name);
      const alarm = (suffix: string) => onlyResource(template, 'AWS::CloudWatch::Alarm', { AlarmName: `${name}-rollback-${suffix}` });
      const errors = alarm('errors');
      const duration = alarm('duration');
      const dimensions = [
        { Name: 'FunctionName', Value: { Ref: fn.id } },
        { Name: 'Resource', Value: `${name}:live` },
      ];
      // prod: errors threshold 1 (base), duration 80% of the 30 s timeout.
      expect(errors.Properties).toMatchObject({ MetricName: 'Errors', Statistic: 'Sum', Threshold: 1, Period: 60, Dimensions: dimensions });
      expect(duration.Properties).toMatchObject({ MetricName: 'Duration', ExtendedStatistic: 'p99', Threshold: 24_000, Period: 60, Dimensions: dimensions });
      for (const a of [errors, duration]) {
        expect(a.Properties).toMatchObject({ ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
      }
      const group = onlyResource(template, 'AWS::CodeDeploy::DeploymentGroup', { DeploymentGroupName: name });
      expect(group.Properties!.AlarmConfiguration).toEqual({
        Enabled: true,
        Alarms: [{ Name: { Ref: errors.id } }, { Name: { Ref: duration.id } }],
      });
    }
    template.resourceCountIs('AWS::CloudWatch::Alarm', NAMES.length * 2);
  });

  it('prod: the alias hands its updates to the CodeDeploy group (UpdatePolicy)', () => {
    const b = built.prod;
    const template = b.template('compute');
    for (const name of NAMES) {
      const group = onlyResource(template, 'AWS::CodeDeploy::DeploymentGroup', { DeploymentGroupName: `orders-prod-${name}` });
      template.hasResource('AWS::Lambda::Alias', {
        Properties: Match.objectLike({ FunctionName: { Ref: fnOf(b, name).id } }),
        UpdatePolicy: { CodeDeployLambdaAliasUpdate: { ApplicationName: Match.anyValue(), DeploymentGroupName: { Ref: group.id } } },
      });
    }
  });

  it.each(['dev', 'staging'] as const)('%s: no CodeDeploy resources, no rollback alarms, no alias UpdatePolicy', (stage) => {
    const template = built[stage].template('compute');
    template.resourceCountIs('AWS::CodeDeploy::Application', 0);
    template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::IAM::Role', NAMES.length); // the function roles only
    for (const alias of Object.values(template.findResources('AWS::Lambda::Alias'))) expect(alias.UpdatePolicy).toBeUndefined();
  });
});

describe('delivery: checks', () => {
  it.each(['dev', 'staging', 'prod'] as const)('%s: cfn-lint reports no errors on any template', async (stage) => {
    await expectNoLintErrors(built[stage].app.synth().stacks.map((s) => s.templateFullPath));
  });

  it.each(['dev', 'prod'] as const)('%s: cdk-nag finds no unacknowledged error in the compute stack', (stage) => {
    const compute = `${built[stage].stack('compute').node.path}/`;
    const findings = nagFindings(built[stage]).filter((f) => f.severity === 'error');
    const inCompute = findings.flatMap((f) => f.paths.filter((p) => p.startsWith(compute)).map((p) => `${f.rule} on ${p}`));
    expect(inCompute).toEqual([]);
  });
});
