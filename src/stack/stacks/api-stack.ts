import { aws_apigateway as apigw, aws_apigatewayv2 as apigwv2, aws_lambda as lambda } from 'aws-cdk-lib';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Construct } from 'constructs';
import type { ResolvedFunction } from '../../config/resolve.js';
import type { Spec3Config } from '../../config/schema.js';
import { prefix } from '../naming.js';
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

    if (input.api.type === 'rest') {
      const api = new apigw.RestApi(this, 'Api', {
        restApiName: name,
        description: `${stage.project} API (${stage.name})`,
        endpointTypes: [apigw.EndpointType.REGIONAL],
        cloudWatchRole: false,
        deployOptions: {
          stageName: stage.name,
          throttlingRateLimit: stage.api.throttleRate,
          throttlingBurstLimit: stage.api.throttleBurst,
          tracingEnabled: true,
          metricsEnabled: true,
        },
        defaultCorsPreflightOptions: {
          allowOrigins: input.api.cors,
          allowMethods: apigw.Cors.ALL_METHODS,
        },
      });
      for (const route of routes) {
        const resource = api.root.resourceForPath(route.path);
        resource.addMethod(route.method, new apigw.LambdaIntegration(target(route.fn)));
      }
      this.wiring.publish(this, 'api-id', api.restApiId);
      this.wiring.publish(this, 'api-name', name);
      this.wiring.publish(this, 'api-url', api.url);
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
      });
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
    }
  }
}
