import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { sampleConfig } from '../../helpers/project.js';
import { buildStage, onlyResource, resourcesOf, ssmRef, useStages } from '../build.js';

const built = useStages(['dev', 'prod'] as const);

/** `METHOD /path` of every REST API method, resolving resource ids to their paths. */
function restRoutes(template: Template): string[] {
  const resources = resourcesOf(template, 'AWS::ApiGateway::Resource');
  const pathOf = (id: unknown): string => {
    const ref = (id as { Ref?: string }).Ref;
    if (!ref) return ''; // { Fn::GetAtt: [api, RootResourceId] }
    const r = resources[ref]!.Properties!;
    return `${pathOf(r.ParentId)}/${r.PathPart}`;
  };
  return Object.values(resourcesOf(template, 'AWS::ApiGateway::Method'))
    .map((m) => `${m.Properties!.HttpMethod} ${pathOf(m.Properties!.ResourceId) || '/'}`)
    .sort();
}

describe('api stack: REST API', () => {
  it('creates one regional REST API named orders-<stage>-api', () => {
    const template = built.dev.template('api');
    expect(onlyResource(template, 'AWS::ApiGateway::RestApi').Properties).toMatchObject({
      Name: 'orders-dev-api',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
  });

  it('has a method per configured route plus an OPTIONS method per resource for CORS', () => {
    expect(restRoutes(built.dev.template('api'))).toEqual([
      'GET /items',
      'GET /items/{id}',
      'OPTIONS /',
      'OPTIONS /items',
      'OPTIONS /items/{id}',
      'POST /items',
    ]);
    built.dev.template('api').resourceCountIs('AWS::ApiGateway::Method', 6);
  });

  it('answers CORS preflight with the configured origins', () => {
    built.dev.template('api').hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      Integration: {
        Type: 'MOCK',
        IntegrationResponses: [
          Match.objectLike({ ResponseParameters: Match.objectLike({ 'method.response.header.Access-Control-Allow-Origin': "'*'" }) }),
        ],
      },
    });
  });

  it('proxies every route to the api function, read from SSM', () => {
    const template = built.dev.template('api');
    const fnArn = ssmRef(template, '/spec3/orders/dev/compute/fn-api-arn');
    template.resourcePropertiesCountIs(
      'AWS::ApiGateway::Method',
      {
        HttpMethod: Match.not('OPTIONS'),
        Integration: {
          Type: 'AWS_PROXY',
          IntegrationHttpMethod: 'POST',
          Uri: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:us-east-1:lambda:path/2015-03-31/functions/', fnArn, '/invocations']],
          },
        },
      },
      3,
    );
    // API Gateway may invoke the function: for the deployed stage and the console test, per route.
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Permission',
      { Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', FunctionName: fnArn },
      6,
    );
  });

  it('throttles the stage per stage settings: dev 100/200, prod 1000/2000, with tracing', () => {
    for (const [stage, rate, burst] of [['dev', 100, 200], ['prod', 1000, 2000]] as const) {
      const s = onlyResource(built[stage].template('api'), 'AWS::ApiGateway::Stage');
      expect(s.Properties!.StageName).toBe(stage);
      expect(s.Properties!.TracingEnabled).toBe(true);
      expect(s.Properties!.MethodSettings).toEqual([
        {
          HttpMethod: '*',
          ResourcePath: '/*',
          DataTraceEnabled: false,
          MetricsEnabled: true,
          ThrottlingRateLimit: rate,
          ThrottlingBurstLimit: burst,
          LoggingLevel: 'ERROR',
        },
      ]);
    }
  });

  it('writes an access log line per request to a log group with the stage retention', () => {
    for (const [stage, days] of [['dev', 7], ['prod', 365]] as const) {
      const template = built[stage].template('api');
      const group = onlyResource(template, 'AWS::Logs::LogGroup');
      expect(group.Properties!.LogGroupName).toBe(`/aws/apigateway/orders-${stage}-api/access`);
      expect(group.Properties!.RetentionInDays).toBe(days);
      const s = onlyResource(template, 'AWS::ApiGateway::Stage');
      expect(s.Properties!.AccessLogSetting.DestinationArn).toEqual({ 'Fn::GetAtt': [group.id, 'Arn'] });
      expect(s.Properties!.AccessLogSetting.Format).toContain('$context.requestId');
    }
  });

  it("names a logging role in the region's API Gateway settings, kept when a stage goes", () => {
    const template = built.dev.template('api');
    const account = onlyResource(template, 'AWS::ApiGateway::Account');
    const role = onlyResource(template, 'AWS::IAM::Role');
    expect(account.Properties!.CloudWatchRoleArn).toEqual({ 'Fn::GetAtt': [role.id, 'Arn'] });
    expect([account.DeletionPolicy, role.DeletionPolicy]).toEqual(['Retain', 'Retain']);
  });

  it('validates request parameters and bodies on every method', () => {
    const template = built.dev.template('api');
    const validator = onlyResource(template, 'AWS::ApiGateway::RequestValidator');
    expect(validator.Properties).toMatchObject({ Name: 'orders-dev-api-validator', ValidateRequestParameters: true, ValidateRequestBody: true });
    const methods = Object.values(resourcesOf(template, 'AWS::ApiGateway::Method')).filter((m) => m.Properties!.HttpMethod !== 'OPTIONS');
    expect(methods).toHaveLength(3);
    for (const m of methods) expect(m.Properties!.RequestValidatorId).toEqual({ Ref: validator.id });
  });

  it('publishes the API id, name and URL through SSM', () => {
    const template = built.dev.template('api');
    const api = onlyResource(template, 'AWS::ApiGateway::RestApi');
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/spec3/orders/dev/api/api-id', Value: { Ref: api.id } });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/spec3/orders/dev/api/api-name', Value: 'orders-dev-api' });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/spec3/orders/dev/api/api-url', Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
  });
});

describe('api stack: HTTP API', () => {
  // Regression: a stage added with the construct id 'Default' got the API's own logical id
  // ("section 'Resources' already contains 'ApiF70053CD'"), so no HTTP API app could synthesize.
  it('a config with api type "http" gives an HTTP API with a route per trigger and a throttled default stage', () => {
    const b = buildStage('prod', sampleConfig({ features: { api: { type: 'http', cors: ['https://example.com'] }, vpc: false } }));
    try {
      const template = b.template('api');
      template.resourceCountIs('AWS::ApiGateway::RestApi', 0);
      const api = onlyResource(template, 'AWS::ApiGatewayV2::Api');
      expect(api.Properties).toMatchObject({
        Name: 'orders-prod-api',
        ProtocolType: 'HTTP',
        CorsConfiguration: { AllowOrigins: ['https://example.com'], AllowMethods: ['*'] },
      });
      const routes = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route')).map((r) => r.Properties!.RouteKey);
      expect(routes.sort()).toEqual(['GET /items', 'GET /items/{id}', 'POST /items']);
      template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: ssmRef(template, '/spec3/orders/prod/compute/fn-api-arn'),
      });
      expect(onlyResource(template, 'AWS::ApiGatewayV2::Stage').Properties).toMatchObject({
        ApiId: { Ref: api.id },
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 },
      });
      // HTTP APIs report 5xx by API id.
      b.template('monitoring').hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: '5xx',
        Dimensions: [{ Name: 'ApiId', Value: ssmRef(b.template('monitoring'), '/spec3/orders/prod/api/api-id') }],
      });
    } finally {
      b.dispose();
    }
  });
});
