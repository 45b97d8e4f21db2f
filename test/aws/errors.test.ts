import { CloudFormationClient, CloudFormationServiceException, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { bootstrapVersion } from '../../src/aws/bootstrap-version.js';
import { describeStack } from '../../src/aws/cfn/stacks.js';
import { AwsClients } from '../../src/aws/clients.js';
import { AwsCallError, isStackMissing, isTransient } from '../../src/aws/errors.js';
import { AbortError } from '../../src/errors.js';

/**
 * The AWS error boundary, through the client factory's own `send` (what every call site uses),
 * with errors shaped exactly as SDK v3 builds them: service exceptions with `name`, `$fault` and
 * `$metadata` (attempts included, as the retry middleware sets them), Node's system errors
 * below HTTP, and the credential chain's CredentialsProviderError.
 */
const cfn = mockClient(CloudFormationClient);
const ssm = mockClient(SSMClient);
const sts = mockClient(STSClient);
const keys = { accessKeyId: 'a', secretAccessKey: 'b' };
const aws = (extra: object = {}) => new AwsClients({ region: 'eu-west-1', maxAttempts: 8, credentials: keys, ...extra });

const metadata = (httpStatusCode: number, attempts = 1) => ({ httpStatusCode, requestId: 'b7c1-req', attempts, totalRetryDelay: 0 });
/** An error answer of CloudFormation (query protocol), as the SDK's deserializer builds it. */
const cfnError = (name: string, message: string, httpStatusCode: number, attempts = 1) =>
  new CloudFormationServiceException({ name, message, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: metadata(httpStatusCode, attempts) });
const describe$ = (clients = aws()) => clients.cloudFormation().send(new DescribeStacksCommand({ StackName: 'orders-dev-network' }));

beforeEach(() => {
  cfn.reset();
  ssm.reset();
  sts.reset();
});

describe('the AWS error boundary', () => {
  it('access denied: the principal and action AWS names, and the permission to add', async () => {
    cfn.on(DescribeStacksCommand).rejects(
      cfnError(
        'AccessDenied',
        'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: cloudformation:DescribeStacks on resource: arn:aws:cloudformation:eu-west-1:123456789012:stack/orders-dev-network/* because no identity-based policy allows the cloudformation:DescribeStacks action',
        403,
      ),
    );
    const error = await describe$().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({
      code: 'AWS_ACCESS_DENIED',
      service: 'CloudFormation',
      operation: 'DescribeStacks',
      requestId: 'b7c1-req',
      message: expect.stringContaining('Access denied: CloudFormation DescribeStacks was refused for arn:aws:iam::123456789012:user/dev on arn:aws:cloudformation:eu-west-1:123456789012:stack/orders-dev-network/*'),
      hint: expect.stringContaining(
        'Grant arn:aws:iam::123456789012:user/dev the IAM permission cloudformation:DescribeStacks on arn:aws:cloudformation:eu-west-1:123456789012:stack/orders-dev-network/*',
      ),
    });
    // The SDK's error stays reachable: its name for libraries, itself as the cause.
    expect((error as AwsCallError).name).toBe('AccessDenied');
    expect((error as AwsCallError).cause).toBeInstanceOf(CloudFormationServiceException);
  });

  it('access denied without a principal in the message: the action is the service prefix and operation', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('Access denied'), { name: 'AccessDeniedException', $fault: 'client', $metadata: metadata(400) }));
    await expect(aws().ssm().send(new GetParameterCommand({ Name: '/x' }))).rejects.toMatchObject({
      code: 'AWS_ACCESS_DENIED',
      hint: expect.stringContaining('Grant these credentials the IAM permission ssm:GetParameter'),
    });
  });

  it('expired credentials: how to refresh them, with the profile when one is named', async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken', $fault: 'client', $metadata: metadata(403) }));
    await expect(aws({ profile: 'prod-admin' }).sts().send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      code: 'AWS_CREDENTIALS_EXPIRED',
      hint: expect.stringContaining('aws sso login --profile prod-admin'),
    });
    await expect(aws().sts().send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ code: 'AWS_CREDENTIALS_EXPIRED', hint: expect.stringContaining('`aws sso login`') });
  });

  it('missing credentials (the credential chain found none)', async () => {
    const chain = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError', tryNextLink: false });
    cfn.on(DescribeStacksCommand).rejects(chain);
    await expect(describe$()).rejects.toMatchObject({ code: 'AWS_NO_CREDENTIALS', hint: expect.stringContaining('aws configure') });
  });

  it('throttling past the retries: the attempts made, and how to allow more', async () => {
    cfn.on(DescribeStacksCommand).rejects(cfnError('Throttling', 'Rate exceeded', 400, 8));
    const error = (await describe$().catch((e: unknown) => e)) as AwsCallError;
    expect(error).toMatchObject({ code: 'AWS_THROTTLED', message: 'AWS kept throttling CloudFormation DescribeStacks after 8 attempts: Throttling: Rate exceeded (request id b7c1-req)' });
    expect(error.hint).toContain('--max-attempts 15');
    expect(isTransient(error)).toBe(true);
  });

  it('5xx: the service could not serve the call, with the status and request id', async () => {
    cfn.on(DescribeStacksCommand).rejects(cfnError('ServiceUnavailable', 'Service is unavailable', 503, 8));
    await expect(describe$()).rejects.toMatchObject({
      code: 'AWS_UNAVAILABLE',
      message: 'AWS CloudFormation in eu-west-1 could not serve CloudFormation DescribeStacks after 8 attempts: HTTP 503 ServiceUnavailable: Service is unavailable (request id b7c1-req)',
    });
  });

  it('unreachable: refused connections, unknown hosts and timeouts name the endpoint', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect', $metadata: { attempts: 3 } });
    cfn.on(DescribeStacksCommand).rejects(refused);
    await expect(describe$(aws({ endpoint: 'http://localhost:4566' }))).rejects.toMatchObject({
      code: 'AWS_UNREACHABLE',
      message: 'Could not reach the endpoint http://localhost:4566 for CloudFormation DescribeStacks after 3 attempts: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4566',
      hint: expect.stringContaining('Check that http://localhost:4566 is up'),
    });
    cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('getaddrinfo ENOTFOUND cloudformation.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND' }));
    await expect(describe$()).rejects.toMatchObject({ code: 'AWS_UNREACHABLE', message: expect.stringContaining('Could not reach AWS CloudFormation in eu-west-1') });
    const timeout = Object.assign(new Error('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 30000 ms requestTimeout.'), { name: 'TimeoutError', code: 'ETIMEDOUT' });
    cfn.on(DescribeStacksCommand).rejects(timeout);
    await expect(describe$()).rejects.toMatchObject({ code: 'AWS_UNREACHABLE', message: expect.stringContaining('TimeoutError: no answer within 30 s') });
  });

  it('any other error: AWS_CALL_FAILED with service, operation, AWS code and request id', async () => {
    cfn.on(DescribeStacksCommand).rejects(cfnError('ValidationError', 'Template format error: unsupported structure.', 400));
    await expect(describe$()).rejects.toMatchObject({
      code: 'AWS_CALL_FAILED',
      awsCode: 'ValidationError',
      message: 'CloudFormation DescribeStacks failed: ValidationError: Template format error: unsupported structure. (request id b7c1-req)',
    });
  });

  it('the named answers call sites rely on are still seen through the boundary', async () => {
    cfn.on(DescribeStacksCommand).rejects(cfnError('ValidationError', 'Stack with id orders-dev-network does not exist', 400));
    const missing = await describe$().catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(AwsCallError);
    expect(isStackMissing(missing)).toBe(true);
    expect(await describeStack(aws(), 'orders-dev-network')).toBeUndefined();
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: '', $metadata: metadata(400) }));
    expect(await bootstrapVersion(aws(), '/cdk-bootstrap/hnb659fds/version')).toBeUndefined();
  });

  it('Ctrl-C: the signal goes with calls made before it, not with the clean-up calls after it; an aborted call is the interruption', async () => {
    const controller = new AbortController();
    const clients = aws({ signal: controller.signal });
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [] });
    await describe$(clients);
    expect((cfn.commandCalls(DescribeStacksCommand)[0]!.args as unknown[])[1]).toEqual({ abortSignal: controller.signal });
    controller.abort();
    await describe$(clients);
    expect((cfn.commandCalls(DescribeStacksCommand)[1]!.args as unknown[])[1]).toBeUndefined();
    // How the SDK's HTTP handler rejects a request whose signal aborted.
    cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
    await expect(describe$(clients)).rejects.toBeInstanceOf(AbortError);
  });
});
