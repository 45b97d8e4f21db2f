import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  ListStacksCommand,
  type Parameter,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startLocalAws, type LocalAws } from '../../../src/aws/local/launcher.js';
import { clientConfig, useLocalAws } from '../../helpers/local-aws.js';

/** SDK clients for one server. */
export class Aws {
  readonly cfn: CloudFormationClient;
  readonly ssm: SSMClient;
  readonly ec2: EC2Client;
  readonly s3: S3Client;
  readonly kms: KMSClient;
  readonly apigateway: APIGatewayClient;
  readonly dynamodb: DynamoDBClient;

  constructor(endpoint: string) {
    const config = clientConfig(endpoint);
    this.cfn = new CloudFormationClient(config);
    this.ssm = new SSMClient(config);
    this.ec2 = new EC2Client(config);
    this.s3 = new S3Client(config);
    this.kms = new KMSClient(config);
    this.apigateway = new APIGatewayClient(config);
    this.dynamodb = new DynamoDBClient(config);
  }

  createStack(name: string, template: object, extra: Partial<{ Parameters: Parameter[]; EnableTerminationProtection: boolean }> = {}) {
    return this.cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: JSON.stringify(template), ...extra }));
  }

  createChangeSet(name: string, type: 'CREATE' | 'UPDATE', template: object, changeSet = 'deploy', Parameters?: Parameter[]) {
    return this.cfn.send(
      new CreateChangeSetCommand({ StackName: name, ChangeSetName: changeSet, ChangeSetType: type, TemplateBody: JSON.stringify(template), Parameters }),
    );
  }

  executeChangeSet(name: string, changeSet = 'deploy') {
    return this.cfn.send(new ExecuteChangeSetCommand({ StackName: name, ChangeSetName: changeSet }));
  }

  /** Create (or update) a stack through a change set, as spec3 deploys. */
  async deployByChangeSet(name: string, type: 'CREATE' | 'UPDATE', template: object, Parameters?: Parameter[]) {
    await this.createChangeSet(name, type, template, 'deploy', Parameters);
    return this.executeChangeSet(name);
  }

  async stack(name: string): Promise<Stack> {
    const out = await this.cfn.send(new DescribeStacksCommand({ StackName: name }));
    return out.Stacks![0]!;
  }

  async outputs(name: string): Promise<Record<string, string | undefined>> {
    return Object.fromEntries(((await this.stack(name)).Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue]));
  }

  async events(name: string) {
    const out = await this.cfn.send(new DescribeStackEventsCommand({ StackName: name }));
    return (out.StackEvents ?? []).map((e) => ({ id: e.LogicalResourceId, status: e.ResourceStatus, reason: e.ResourceStatusReason }));
  }

  /** Stacks not yet deleted, as ListStacks shows them. */
  async liveStacks(): Promise<{ name?: string; status?: string }[]> {
    const out = await this.cfn.send(new ListStacksCommand({}));
    return (out.StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE').map((s) => ({ name: s.StackName, status: s.StackStatus }));
  }
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; name: string; message: string; status: number | undefined };

/** A call's result or error, so a test can compare what stock and patched moto answer. */
export async function outcome<T>(call: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call };
  } catch (error) {
    const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    return { ok: false, name: e.name ?? 'Error', message: e.message ?? String(error), status: e.$metadata?.httpStatusCode };
  }
}

/** What an HTML 500 from moto (an unhandled exception) looks like to an SDK v3 client. */
export const SERVER_CRASH = { ok: false, status: 500 } as const;

/**
 * Two servers for one test file: moto as installed (`stock`, to show each bug) and the suite's
 * patched one (`patched`, to show the fix), both reset before every test.
 */
export function useMotoPair(): { stock: () => Aws; patched: () => Aws } {
  const local = useLocalAws();
  let stockServer: LocalAws | undefined;
  let stock: Aws | undefined;
  let patched: Aws | undefined;
  beforeAll(async () => {
    stockServer = await startLocalAws({ patched: false });
    stock = new Aws(stockServer.endpoint);
    patched = new Aws(local.endpoint());
  });
  afterAll(async () => {
    await stockServer?.stop();
  });
  beforeEach(async () => {
    await stockServer!.reset();
  });
  return { stock: () => stock!, patched: () => patched! };
}
