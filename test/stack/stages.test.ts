import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PHASES, STACK_PHASES, type StackKind } from '../../src/stack/phases.js';
import { sampleConfig } from '../helpers/project.js';
import { resourcesOf, useStages, type StageName } from './build.js';

const STAGES = ['dev', 'staging', 'prod'] as const;
const built = useStages(STAGES);
const KINDS = ['network', 'security', 'storage', 'messaging', 'compute', 'api', 'monitoring', 'integrations'];
/** Stacks of a stage of the sample config: prod asks for WAF, so it also has the edge stack (after security). */
const kindsOf = (stage: StageName): string[] => (stage === 'prod' ? KINDS.flatMap((k) => (k === 'security' ? [k, 'edge'] : [k])) : KINDS);

describe('stacks per stage', () => {
  it('names every stack orders-<stage>-<kind>, in phase order', () => {
    for (const stage of STAGES) {
      expect(built[stage].stacks.map((s) => s.stackName)).toEqual(kindsOf(stage).map((k) => `orders-${stage}-${k}`));
      expect(built[stage].stacks.map((s) => s.stackName)).toEqual(built[stage].stacks.map((s) => s.node.id));
    }
  });

  it('tags every stack with its phase, in the construct and in the assembly', () => {
    const assembly = built.dev.app.synth();
    const phases = Object.fromEntries(built.dev.stacks.map((s) => [s.kind, s.phase]));
    expect(phases).toEqual({
      network: 'foundation',
      security: 'foundation',
      storage: 'foundation',
      messaging: 'foundation',
      compute: 'app',
      api: 'app',
      monitoring: 'app',
      integrations: 'integrations',
    });
    for (const stack of built.dev.stacks) {
      expect(stack.tags.tagValues()['spec3:phase']).toBe(STACK_PHASES[stack.kind]);
      expect(assembly.getStackByName(stack.stackName).tags).toEqual({
        'spec3:phase': STACK_PHASES[stack.kind],
        project: 'orders',
        stage: 'dev',
        'managed-by': 'spec3',
      });
    }
    // Stacks come in phase order.
    const order = built.dev.stacks.map((s) => PHASES.indexOf(s.phase));
    expect(order).toEqual([...order].sort());
  });

  it('pins every stack to the stage account and region', () => {
    for (const stack of built.prod.stacks) {
      expect({ account: stack.account, region: stack.region }).toEqual({ account: '123456789012', region: 'us-east-1' });
    }
  });

  it('tags table, bucket, functions and queues with project, stage and managed-by', () => {
    const tagged: [StackKind, string][] = [
      ['storage', 'AWS::DynamoDB::Table'],
      ['storage', 'AWS::S3::Bucket'],
      ['compute', 'AWS::Lambda::Function'],
      ['compute', 'AWS::IAM::Role'],
      ['messaging', 'AWS::SQS::Queue'],
      ['messaging', 'AWS::SNS::Topic'],
    ];
    for (const stage of STAGES) {
      for (const [kind, type] of tagged) {
        const template = built[stage].template(kind);
        expect(Object.keys(resourcesOf(template, type)).length).toBeGreaterThan(0);
        template.allResourcesProperties(type, {
          Tags: Match.arrayWith([
            { Key: 'managed-by', Value: 'spec3' },
            { Key: 'project', Value: 'orders' },
            { Key: 'stage', Value: stage },
          ]),
        });
      }
      // SSM parameters take tags as a map.
      built[stage].template('storage').allResourcesProperties('AWS::SSM::Parameter', {
        Tags: { 'managed-by': 'spec3', project: 'orders', stage },
      });
    }
  });

  it('has NAT gateways per stage: dev none, staging 1, prod 3', () => {
    const nat = Object.fromEntries(
      STAGES.map((s) => [s, Object.keys(resourcesOf(built[s].template('network'), 'AWS::EC2::NatGateway')).length]),
    );
    expect(nat).toEqual({ dev: 0, staging: 1, prod: 3 });
  });
});

describe('protection per stage', () => {
  const dataPolicies = (stage: StageName) => {
    const template = built[stage].template('storage');
    return [...Object.values(resourcesOf(template, 'AWS::DynamoDB::Table')), ...Object.values(resourcesOf(template, 'AWS::S3::Bucket'))].map(
      (r) => [r.Type, r.DeletionPolicy, r.UpdateReplacePolicy],
    );
  };

  it('prod retains the table, the data bucket and its access logs', () => {
    expect(dataPolicies('prod')).toEqual([
      ['AWS::DynamoDB::Table', 'Retain', 'Retain'],
      ['AWS::S3::Bucket', 'Retain', 'Retain'],
      ['AWS::S3::Bucket', 'Retain', 'Retain'],
    ]);
  });

  it('dev deletes the table, the data bucket and its access logs with the stage', () => {
    expect(dataPolicies('dev')).toEqual([
      ['AWS::DynamoDB::Table', 'Delete', 'Delete'],
      ['AWS::S3::Bucket', 'Delete', 'Delete'],
      ['AWS::S3::Bucket', 'Delete', 'Delete'],
    ]);
  });

  it('prod stacks have termination protection, dev and staging stacks do not', () => {
    expect(built.prod.stacks.map((s) => s.terminationProtection)).toEqual(kindsOf('prod').map(() => true));
    expect(built.dev.stacks.map((s) => s.terminationProtection)).toEqual(KINDS.map(() => false));
    expect(built.staging.stacks.map((s) => s.terminationProtection)).toEqual(KINDS.map(() => false));
    expect(built.prod.app.synth().getStackByName('orders-prod-storage').terminationProtection).toBe(true);
  });

  it('prod enables deletion protection on the table, dev does not', () => {
    built.prod.template('storage').hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    built.dev.template('storage').hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
  });
});

describe('cross-stack values', () => {
  it('no template anywhere imports or exports a CloudFormation value', () => {
    for (const stage of STAGES) {
      for (const template of built[stage].templates()) {
        const json = template.toJSON();
        expect(JSON.stringify(json)).not.toContain('Fn::ImportValue');
        expect(Object.values(json.Outputs ?? {}).filter((o) => (o as { Export?: unknown }).Export)).toEqual([]);
      }
    }
  });

  it('reads foundation values in compute through SSM-typed parameters named /spec3/orders/<stage>/<stack>/<key>', () => {
    const template = built.dev.template('compute');
    template.hasParameter('*', { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/spec3/orders/dev/storage/table-arn' });
    const read = Object.values(template.findParameters('*', { Type: 'AWS::SSM::Parameter::Value<String>' }))
      .map((p) => p.Default as string)
      .filter((name) => name.startsWith('/spec3/'))
      .sort();
    expect(read).toEqual([
      '/spec3/orders/dev/messaging/alert-topic-arn',
      '/spec3/orders/dev/messaging/functions-dlq-arn',
      '/spec3/orders/dev/messaging/work-queue-arn',
      '/spec3/orders/dev/messaging/work-queue-url',
      '/spec3/orders/dev/security/function-base-policy-arn',
      '/spec3/orders/dev/security/key-arn',
      '/spec3/orders/dev/storage/bucket-arn',
      '/spec3/orders/dev/storage/bucket-name',
      '/spec3/orders/dev/storage/table-arn',
      '/spec3/orders/dev/storage/table-name',
    ]);
  });

  it('every SSM parameter a stack reads is written by a stack of the same or an earlier phase, which it depends on', () => {
    for (const stage of STAGES) {
      const b = built[stage];
      const writer = new Map<string, (typeof b.stacks)[number]>();
      for (const stack of b.stacks) {
        for (const p of Object.values(resourcesOf(b.template(stack.kind), 'AWS::SSM::Parameter'))) {
          const name = p.Properties!.Name as string;
          expect(name.startsWith(`/spec3/orders/${stage}/${stack.kind}/`)).toBe(true);
          writer.set(name, stack);
        }
      }
      for (const stack of b.stacks) {
        const reads = Object.values(b.template(stack.kind).findParameters('*', { Type: 'AWS::SSM::Parameter::Value<String>' }))
          .map((p) => p.Default as string)
          .filter((name) => name.startsWith('/spec3/'));
        for (const name of reads) {
          const producer = writer.get(name);
          expect(producer, `${stack.stackName} reads ${name}`).toBeDefined();
          expect(PHASES.indexOf(producer!.phase)).toBeLessThanOrEqual(PHASES.indexOf(stack.phase));
          expect(stack.dependencies).toContain(producer);
        }
      }
    }
  });
});

describe('stacks a config leaves out', () => {
  const noVpc = useStages(['dev'] as const, () => sampleConfig({ features: { api: { type: 'rest' }, vpc: false } }));
  const noFunctions = useStages(['dev'] as const, () => sampleConfig({ functions: [] }));
  const httpOnly = useStages(['dev'] as const, () =>
    sampleConfig({
      functions: [{ name: 'api', handler: 'orders.handlers.api.handler', triggers: [{ type: 'http', method: 'GET', path: '/items' }] }],
    }),
  );
  const kinds = (b: { stacks: readonly { kind: string }[] }) => b.stacks.map((s) => s.kind);

  it('features.vpc false: no network stack', () => {
    expect(kinds(noVpc.dev)).toEqual(['security', 'storage', 'messaging', 'compute', 'api', 'monitoring', 'integrations']);
  });

  it('no functions: no compute, api or integrations stack', () => {
    expect(kinds(noFunctions.dev)).toEqual(['network', 'security', 'storage', 'messaging', 'monitoring']);
    // With no consumer the work queue keeps the 30 s floor.
    noFunctions.dev.template('messaging').hasResourceProperties('AWS::SQS::Queue', { QueueName: 'orders-dev-work', VisibilityTimeout: 30 });
  });

  it('only http triggers: no integrations stack', () => {
    expect(kinds(httpOnly.dev)).toEqual(['network', 'security', 'storage', 'messaging', 'compute', 'api', 'monitoring']);
  });
});
