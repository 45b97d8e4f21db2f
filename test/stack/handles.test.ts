import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import type { Spec3ConfigInput } from '../../src/config/schema.js';
import type { StackHandles } from '../../src/stack/handles.js';
import type { StackKind } from '../../src/stack/phases.js';
import { useStages } from './build.js';

const fullExample = (): Spec3ConfigInput =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, '../../examples/full/spec3.config.json'), 'utf8')) as Spec3ConfigInput;

/** The CloudFormation resource a handle stands for: the construct itself or its default child. */
function cfnOf(handle: IConstruct): CfnResource {
  const resource = handle instanceof CfnResource ? handle : handle.node.defaultChild;
  if (!(resource instanceof CfnResource)) throw new Error(`${handle.node.path} has no CloudFormation resource`);
  return resource;
}

/** Per stack kind, each handle (a path into `handles`) and the resource type it must be. */
const EXPECTED: { [K in StackKind]: Record<string, (h: StackHandles[K]) => [IConstruct, string][]> } = {
  network: { vpc: (h) => [[h.vpc, 'AWS::EC2::VPC']], flowLogs: (h) => [[h.flowLogs, 'AWS::Logs::LogGroup']] },
  security: { key: (h) => [[h.key, 'AWS::KMS::Key']], functionBasePolicy: (h) => [[h.functionBasePolicy, 'AWS::IAM::ManagedPolicy']] },
  storage: {
    table: (h) => [[h.table, 'AWS::DynamoDB::Table']],
    bucket: (h) => [[h.bucket, 'AWS::S3::Bucket']],
    accessLogsBucket: (h) => [[h.accessLogsBucket, 'AWS::S3::Bucket']],
  },
  messaging: {
    workQueue: (h) => [[h.workQueue, 'AWS::SQS::Queue']],
    workDlq: (h) => [[h.workDlq, 'AWS::SQS::Queue']],
    functionsDlq: (h) => [[h.functionsDlq, 'AWS::SQS::Queue']],
    alertTopic: (h) => [[h.alertTopic, 'AWS::SNS::Topic']],
  },
  pipeline: { deployRole: (h) => [[h.deployRole, 'AWS::IAM::Role']], deployPolicy: (h) => [[h.deployPolicy, 'AWS::IAM::Policy']] },
  edge: { webAcl: (h) => [[h.webAcl, 'AWS::WAFv2::WebACL']], logGroup: (h) => [[h.logGroup, 'AWS::Logs::LogGroup']] },
  data: {
    search: (h) => [[h.search!.collection, 'AWS::OpenSearchServerless::Collection']],
    graph: (h) => [[h.graph!.cluster, 'AWS::Neptune::DBCluster']],
  },
  compute: {
    functions: (h) => Object.values(h.functions).map((f) => [f, 'AWS::Lambda::Function']),
    aliases: (h) => Object.values(h.aliases).map((a) => [a, 'AWS::Lambda::Alias']),
    roles: (h) => Object.values(h.roles).map((r) => [r, 'AWS::IAM::Role']),
  },
  api: { api: (h) => [[h.api, 'AWS::ApiGateway::RestApi']], restApi: (h) => [[h.restApi!, 'AWS::ApiGateway::RestApi']], accessLogs: (h) => [[h.accessLogs, 'AWS::Logs::LogGroup']] },
  service: {
    cluster: (h) => [[h.cluster, 'AWS::ECS::Cluster']],
    service: (h) => [[h.service, 'AWS::ECS::Service']],
    taskDefinition: (h) => [[h.taskDefinition, 'AWS::ECS::TaskDefinition']],
    loadBalancer: (h) => [[h.loadBalancer, 'AWS::ElasticLoadBalancingV2::LoadBalancer']],
    listener: (h) => [[h.listener, 'AWS::ElasticLoadBalancingV2::Listener']],
    targetGroup: (h) => [[h.targetGroup, 'AWS::ElasticLoadBalancingV2::TargetGroup']],
    logGroup: (h) => [[h.logGroup, 'AWS::Logs::LogGroup']],
  },
  monitoring: { dashboard: (h) => [[h.dashboard, 'AWS::CloudWatch::Dashboard']] },
  integrations: {
    rules: (h) => h.rules.map((r) => [r, 'AWS::Events::Rule']),
    eventSourceMappings: (h) => h.eventSourceMappings.map((m) => [m, 'AWS::Lambda::EventSourceMapping']),
  },
};

describe('stack handles: every stack names its own resources', () => {
  const built = useStages(['staging'], fullExample);

  it('builds every stack kind in the full example (so each kind below is checked)', () => {
    expect(built.staging.stacks.map((s) => s.kind).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.keys(EXPECTED) as StackKind[])('%s: each handle is a resource of that stack, of its type', (kind) => {
    const stack = built.staging.stack(kind) as unknown as { handles: Record<string, unknown> };
    const template = built.staging.template(kind).toJSON() as { Resources: Record<string, { Type: string }> };
    const expected = EXPECTED[kind] as Record<string, (h: unknown) => [IConstruct, string][]>;
    expect(Object.keys(stack.handles).filter((k) => stack.handles[k] !== undefined).sort()).toEqual(Object.keys(expected).sort());
    const seen: string[] = [];
    for (const [key, pick] of Object.entries(expected)) {
      const pairs = pick(stack.handles);
      expect(pairs.length, `${kind}.${key}`).toBeGreaterThan(0);
      for (const [handle, type] of pairs) {
        const resource = cfnOf(handle);
        expect(Stack.of(resource), `${kind}.${key} lives in its own stack`).toBe(stack);
        const id = Stack.of(resource).resolve(resource.logicalId) as string;
        expect(template.Resources[id]?.Type, `${kind}.${key} (${id})`).toBe(type);
        if (key !== 'restApi') seen.push(id);
      }
    }
    // No two handles stand for the same resource (restApi is `api` under its concrete type).
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('compute handles are keyed by the config names of the functions', () => {
    const compute = built.staging.stack('compute') as unknown as { handles: StackHandles['compute'] };
    const names = built.staging.functions.map((f) => f.name).sort();
    expect(Object.keys(compute.handles.functions).sort()).toEqual(names);
    expect(Object.keys(compute.handles.aliases).sort()).toEqual(names);
  });
});
