/**
 * What this project needs beyond spec3.config.json: an audit table with a stream, read by the
 * `reports` function and streamed to `audit-writer`; a Step Functions workflow the API starts; and
 * a Cognito user pool whose authorizer guards every route of the REST API. Each hook runs right
 * after spec3 builds that stack, so cdk-nag, cfn-lint, diff, drift and destroy all see the result.
 */
import {
  RemovalPolicy,
  acknowledge,
  apigateway,
  cognito,
  defineExtensions,
  dynamodb,
  iam,
  lambda,
  logs,
  stepfunctions,
  wildcardFinding,
} from 'spec3/extend';

export default defineExtensions({
  // Phase foundation: the audit table, published so that app-phase stacks can reach it.
  storage({ stack, stage, publish }) {
    const audit = new dynamodb.Table(stack, 'AuditTable', {
      tableName: `${stage.project}-${stage.name}-audit`,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'at', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: stage.pointInTimeRecovery },
      deletionProtection: stage.protected,
      // Like spec3's own table: kept where the stage keeps data, removed with the stage elsewhere.
      removalPolicy: stage.protected || stage.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    if (!stage.pointInTimeRecovery) {
      acknowledge(audit, { id: 'AwsSolutions-DDB3', reason: `Point-in-time recovery follows the stage's setting, off in ${stage.name}.` });
    }
    publish('audit-table', audit);
  },

  // Phase app: audit-writer may read the audit stream; the API starts the fulfilment workflow.
  compute({ stack, stage, functions, consume }) {
    // `reports` reads the table through its config: "access": ["audit-table:read"] (which also
    // sets AUDIT_TABLE_NAME and AUDIT_TABLE_ARN). The stream is granted here, in code.
    const audit = consume<dynamodb.ITable>('storage', 'audit-table');
    // What Lambda needs to read the audit table's stream (the trigger is in the integrations hook).
    const writer = functions['audit-writer']!;
    writer.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], resources: [audit.tableStreamArn!] }),
    );
    writer.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }));
    acknowledge(writer.role!, { id: wildcardFinding('Resource::*'), reason: 'dynamodb:ListStreams has no resource-level permissions; Lambda calls it to read the audit stream.' });

    const workflowLogs = new logs.LogGroup(stack, 'FulfilmentLogs', {
      logGroupName: `/aws/vendedlogs/states/${stage.project}-${stage.name}-fulfilment`,
      retention: stage.logRetentionDays as logs.RetentionDays,
      removalPolicy: stage.protected || stage.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const fulfilment = new stepfunctions.StateMachine(stack, 'Fulfilment', {
      stateMachineName: `${stage.project}-${stage.name}-fulfilment`,
      definitionBody: stepfunctions.DefinitionBody.fromChainable(
        new stepfunctions.Pass(stack, 'Accept', { comment: 'Takes the new item' }).next(new stepfunctions.Succeed(stack, 'Fulfilled')),
      ),
      tracingEnabled: true,
      logs: { destination: workflowLogs, level: stepfunctions.LogLevel.ALL },
    });
    acknowledge(fulfilment, {
      id: wildcardFinding('Resource::*'),
      reason: 'Step Functions log delivery (logs:CreateLogDelivery and related) and X-Ray have no resource-level permissions.',
    });
    fulfilment.grantStartExecution(functions.api!);
    functions.api!.addEnvironment('FULFILMENT_ARN', fulfilment.stateMachineArn);
  },

  // Phase app: the user pool, and its authorizer on every route of the REST API.
  api({ stack, stage, resources }) {
    const users = new cognito.UserPool(stack, 'Users', {
      userPoolName: `${stage.project}-${stage.name}-users`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: stage.protected || stage.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledge(users, {
      id: 'AwsSolutions-COG8',
      reason: 'Threat protection needs the Cognito Plus feature plan, billed per user; MFA is required and self sign-up is off instead.',
    });
    const api = resources.restApi!;
    const authorizer = new apigateway.CfnAuthorizer(stack, 'UsersAuthorizer', {
      restApiId: api.restApiId,
      name: 'users',
      type: 'COGNITO_USER_POOLS',
      identitySource: 'method.request.header.Authorization',
      providerArns: [users.userPoolArn],
    });
    for (const method of api.methods) {
      if (method.httpMethod === 'OPTIONS') continue; // CORS preflight carries no token
      const cfn = method.node.defaultChild as apigateway.CfnMethod;
      cfn.authorizationType = apigateway.AuthorizationType.COGNITO;
      cfn.authorizerId = authorizer.ref;
    }
    // The stage serves a new deployment only when the deployment's logical id changes.
    api.latestDeployment?.addToLogicalId({ authorizer: 'users' });
    api.latestDeployment?.node.addDependency(authorizer);
  },

  // Phase integrations: the audit table's stream triggers audit-writer (through its live alias).
  integrations({ stack, consume }) {
    const audit = consume<dynamodb.ITable>('storage', 'audit-table');
    const writer = lambda.Function.fromFunctionAttributes(stack, 'AuditWriter', {
      functionArn: consume<string>('compute', 'fn-audit-writer-arn'),
      sameEnvironment: true,
    });
    const mapping = new lambda.EventSourceMapping(stack, 'AuditStream', {
      target: writer,
      eventSourceArn: audit.tableStreamArn!,
      startingPosition: lambda.StartingPosition.LATEST,
      batchSize: 100,
      retryAttempts: 3,
      reportBatchItemFailures: true,
    });
    (mapping.node.defaultChild as lambda.CfnEventSourceMapping).functionName = writer.functionArn;
  },
});
