import { RemovalPolicy, aws_apigateway as apigw, aws_apigatewayv2 as apigwv2, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Construct } from 'constructs';
import type { ResolvedFunction } from '../../config/resolve.js';
import type { Spec3Config } from '../../config/schema.js';
import { acknowledge } from '../acknowledge.js';
import { attachWebAcl } from '../edge/attach.js';
import { prefix } from '../naming.js';
import { dataRemovalPolicy } from '../removal.js';
import type { StackHandles } from '../handles.js';
import { Spec3Stack, type StackInput } from '../spec3-stack.js';

export interface ApiStackInput extends StackInput {
  readonly api: NonNullable<Spec3Config['features']['api']>;
  readonly functions: readonly ResolvedFunction[];
}

interface Route {
  readonly fn: string;
  readonly method: string;
  readonly path: string;
}

export function routesOf(functions: readonly ResolvedFunction[]): Route[] {
  return functions.flatMap((fn) =>
    fn.triggers.flatMap((t) => (t.type === 'http' ? [{ fn: fn.name, method: t.method, path: t.path }] : [])),
  );
}

/**
 * Phase app. API Gateway in front of the functions with HTTP triggers: a REST API (per-stage
 * throttling, X-Ray, CORS) or an HTTP API (cheaper, throttled on its default stage).
 */
export class ApiStack extends Spec3Stack {
  readonly handles: StackHandles['api'];

  constructor(scope: Construct, input: ApiStackInput) {
    super(scope, 'api', input, `API Gateway ${input.api.type === 'rest' ? 'REST' : 'HTTP'} API`);
    const { stage } = input;
    const name = `${prefix({ project: stage.project, stage: stage.name })}-api`;
    const routes = routesOf(input.functions);
    const functions = new Map<string, lambda.IFunction>();
    const target = (fn: string): lambda.IFunction => {
      let f = functions.get(fn);
      if (!f) {
        f = lambda.Function.fromFunctionAttributes(this, `Fn-${fn}`, {
          functionArn: this.wiring.consume(this, 'compute', `fn-${fn}-arn`),
          sameEnvironment: true,
        });
        functions.set(fn, f);
      }
      return f;
    };

    // One line per request (caller, route, status, latency), kept like the functions' logs.
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/${name}/access`,
      retention: stage.logRetentionDays as logs.RetentionDays,
      removalPolicy: dataRemovalPolicy(stage),
    });
    // The scaffold's routes are public: who may call them is the project's decision (an
    // authorizer, IAM, an API key in front), not one spec3 can make for it.
    const publicRoutes = [
      { id: 'AwsSolutions-APIG4', reason: 'The routes are public by design of the scaffold; authorization is chosen per project.' },
      { id: 'AwsSolutions-COG4', reason: 'No Cognito user pool: the scaffold has no users, and a project may pick another authorizer.' },
    ];

    if (input.api.type === 'rest') {
      const api = new apigw.RestApi(this, 'Api', {
        restApiName: name,
        description: `${stage.project} API (${stage.name})`,
        endpointTypes: [apigw.EndpointType.REGIONAL],
        // REST API logging needs the region's API Gateway account setting to name a role that may
        // write logs. Retained: the setting is shared by every API of the account and region, so
        // removing one stage must not take the role from the others.
        cloudWatchRole: true,
        cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
        deployOptions: {
          stageName: stage.name,
          throttlingRateLimit: stage.api.throttleRate,
          throttlingBurstLimit: stage.api.throttleBurst,
          tracingEnabled: true,
          metricsEnabled: true,
          loggingLevel: apigw.MethodLoggingLevel.ERROR,
          accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
          accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        },
        defaultCorsPreflightOptions: {
          allowOrigins: input.api.cors,
          allowMethods: apigw.Cors.ALL_METHODS,
        },
      });
      attachWebAcl(this, 'WebAclAssociation', api.deploymentStage.stageArn);
      // Rejects requests missing a declared parameter before they cost a function invocation.
      const requestValidator = api.addRequestValidator('RequestValidator', {
        requestValidatorName: `${name}-validator`,
        validateRequestParameters: true,
        validateRequestBody: true,
      });
      for (const route of routes) {
        const resource = api.root.resourceForPath(route.path);
        resource.addMethod(route.method, new apigw.LambdaIntegration(target(route.fn)), { requestValidator });
      }
      acknowledge(api, ...publicRoutes, {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: "API Gateway's own AmazonAPIGatewayPushToCloudWatchLogs policy, for its account-wide logging role; AWS maintains it.",
      });
      this.wiring.publish(this, 'api-id', api.restApiId);
      this.wiring.publish(this, 'api-name', name);
      this.wiring.publish(this, 'api-url', api.url);
      this.handles = { api, restApi: api, httpApi: undefined, accessLogs };
    } else {
      const api = new apigwv2.HttpApi(this, 'Api', {
        apiName: name,
        description: `${stage.project} API (${stage.name})`,
        corsPreflight: { allowOrigins: input.api.cors, allowMethods: [apigwv2.CorsHttpMethod.ANY] },
        createDefaultStage: false,
      });
      // Not 'Default': CDK drops that path segment from logical ids, colliding with the API itself.
      api.addStage('Stage', {
        autoDeploy: true,
        throttle: { rateLimit: stage.api.throttleRate, burstLimit: stage.api.throttleBurst },
        accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs) },
      });
      acknowledge(api, ...publicRoutes);
      for (const route of routes) {
        api.addRoutes({
          path: route.path,
          methods: [route.method as apigwv2.HttpMethod],
          integration: new HttpLambdaIntegration(`${route.fn}-${route.method}-${route.path}`, target(route.fn)),
        });
      }
      this.wiring.publish(this, 'api-id', api.apiId);
      this.wiring.publish(this, 'api-name', name);
      this.wiring.publish(this, 'api-url', api.apiEndpoint);
      this.handles = { api, restApi: undefined, httpApi: api, accessLogs };
    }
  }
}
