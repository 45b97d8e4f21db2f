import { describe, expect, it } from 'vitest';
import { RATE_LIMIT_PER_IP } from '../../../src/stack/stacks/edge-stack.js';
import { sampleConfig } from '../../helpers/project.js';
import { buildStage, onlyResource, resourcesOf, ssmRef, useStages, type BuiltStage } from '../build.js';
import { nagFindings } from '../nag.js';
import { expectNoLintErrors } from '../lint.js';

const STAGES = ['dev', 'staging', 'prod'] as const;
const built = useStages(STAGES);
const httpApi = useStages(['prod'] as const, () => sampleConfig({ features: { vpc: true, api: { type: 'http' } } }));

const kinds = (b: BuiltStage) => b.stacks.map((s) => s.kind);

describe('edge stack: web ACL', () => {
  it('exists only in stages with waf (prod by default)', () => {
    expect(kinds(built.dev)).not.toContain('edge');
    expect(kinds(built.staging)).not.toContain('edge');
    expect(kinds(built.prod)).toContain('edge');
    expect(built.prod.stack('edge')).toMatchObject({ stackName: 'orders-prod-edge', phase: 'foundation' });
  });

  it('is a regional web ACL named <project>-<stage> that allows what no rule blocks', () => {
    const acl = onlyResource(built.prod.template('edge'), 'AWS::WAFv2::WebACL');
    expect(acl.Properties).toMatchObject({
      Name: 'orders-prod',
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: 'orders-prod-web-acl' },
    });
  });

  it("runs AWS's common and known-bad-inputs rule groups, then a per-IP rate limit, each with metrics and samples", () => {
    const rules = onlyResource(built.prod.template('edge'), 'AWS::WAFv2::WebACL').Properties!.Rules as Record<string, any>[];
    expect(rules).toEqual([
      {
        Name: 'AWS-AWSManagedRulesCommonRuleSet',
        Priority: 0,
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } },
        VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: 'orders-prod-AWSManagedRulesCommonRuleSet' },
      },
      {
        Name: 'AWS-AWSManagedRulesKnownBadInputsRuleSet',
        Priority: 1,
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' } },
        VisibilityConfig: {
          CloudWatchMetricsEnabled: true,
          SampledRequestsEnabled: true,
          MetricName: 'orders-prod-AWSManagedRulesKnownBadInputsRuleSet',
        },
      },
      {
        Name: 'RateLimitPerIp',
        Priority: 2,
        Action: { Block: {} },
        Statement: { RateBasedStatement: { Limit: 2000, EvaluationWindowSec: 300, AggregateKeyType: 'IP' } },
        VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: 'orders-prod-rate-limit' },
      },
    ]);
    expect(RATE_LIMIT_PER_IP).toBe(2000);
  });

  it('logs to an aws-waf-logs- log group kept as long as the stage keeps logs', () => {
    const template = built.prod.template('edge');
    const group = onlyResource(template, 'AWS::Logs::LogGroup');
    expect(group.Properties).toMatchObject({ LogGroupName: 'aws-waf-logs-orders-prod', RetentionInDays: 365 });
    expect(group.DeletionPolicy).toBe('Retain');
    const logging = onlyResource(template, 'AWS::WAFv2::LoggingConfiguration');
    const aclId = onlyResource(template, 'AWS::WAFv2::WebACL').id;
    expect(logging.Properties!.ResourceArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(logging.Properties!.LogDestinationConfigs).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:aws-waf-logs-orders-prod']] },
    ]);
    expect(logging.DependsOn).toContain(group.id);
    expect(logging.Properties!.RedactedFields).toEqual([
      { SingleHeader: { Name: 'authorization' } },
      { SingleHeader: { Name: 'cookie' } },
      { SingleHeader: { Name: 'x-api-key' } },
    ]);
  });

  it('takes the retention of a stage that turns waf on', () => {
    const config = sampleConfig();
    config.stages.staging = { ...config.stages.staging, waf: true };
    const staging = buildStage('staging', config);
    try {
      expect(onlyResource(staging.template('edge'), 'AWS::Logs::LogGroup').Properties).toMatchObject({
        LogGroupName: 'aws-waf-logs-orders-staging',
        RetentionInDays: 30,
      });
      expect(resourcesOf(staging.template('api'), 'AWS::WAFv2::WebACLAssociation')).not.toEqual({});
    } finally {
      staging.dispose();
    }
  });

  it('publishes the web ACL ARN for the app phase through SSM', () => {
    const template = built.prod.template('edge');
    const aclId = onlyResource(template, 'AWS::WAFv2::WebACL').id;
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/spec3/orders/prod/edge/web-acl-arn',
      Type: 'String',
      Value: { 'Fn::GetAtt': [aclId, 'Arn'] },
    });
  });
});

describe('edge stack: attachments', () => {
  it('associates the web ACL with the REST API stage in prod', () => {
    const template = built.prod.template('api');
    const association = onlyResource(template, 'AWS::WAFv2::WebACLAssociation');
    const stageId = onlyResource(template, 'AWS::ApiGateway::Stage', { StageName: 'prod' }).id;
    const apiId = onlyResource(template, 'AWS::ApiGateway::RestApi').id;
    expect(association.Properties!.WebACLArn).toEqual(ssmRef(template, '/spec3/orders/prod/edge/web-acl-arn'));
    expect(association.Properties!.ResourceArn).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:us-east-1::/restapis/', { Ref: apiId }, '/stages/', { Ref: stageId }]],
    });
    expect(built.prod.stack('api').dependencies.map((d) => d.stackName)).toContain('orders-prod-edge');
  });

  it('associates nothing in dev and staging', () => {
    for (const stage of ['dev', 'staging'] as const) {
      expect(resourcesOf(built[stage].template('api'), 'AWS::WAFv2::WebACLAssociation')).toEqual({});
      expect(JSON.stringify(built[stage].template('api').toJSON())).not.toContain('web-acl-arn');
    }
  });

  it('leaves an HTTP API unassociated (API Gateway v2 has no WAF support) but still makes the web ACL', () => {
    expect(resourcesOf(httpApi.prod.template('api'), 'AWS::WAFv2::WebACLAssociation')).toEqual({});
    onlyResource(httpApi.prod.template('edge'), 'AWS::WAFv2::WebACL');
  });
});

describe('edge stack: checks', () => {
  it.each(STAGES)('%s: the edge and API templates pass cfn-lint', async (stage) => {
    const kinds = built[stage].stacks.filter((s) => s.kind === 'edge' || s.kind === 'api').map((s) => s.kind);
    expect(kinds.length).toBe(stage === 'prod' ? 2 : 1);
    await expectNoLintErrors(kinds.map((kind) => built[stage].template(kind)));
  });

  it.each(STAGES)('%s: cdk-nag finds no unacknowledged error', (stage) => {
    const errors = nagFindings(built[stage]).filter((f) => f.severity === 'error');
    expect(errors.map((e) => `${e.rule} on ${e.paths.join(', ')}`)).toEqual([]);
  });

  it('clears the REST-API-without-WAF finding (AwsSolutions-APIG3) in prod only', () => {
    const apig3 = (stage: (typeof STAGES)[number]) => nagFindings(built[stage]).filter((f) => f.rule === 'AwsSolutions-APIG3');
    expect(apig3('prod')).toEqual([]);
    expect(apig3('dev').map((f) => f.severity)).toEqual(['warning']);
  });
});
