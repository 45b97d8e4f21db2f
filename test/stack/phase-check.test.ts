import { Stack, aws_dynamodb as dynamodb, aws_lambda as lambda, aws_ssm as ssm } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { Spec3Error } from '../../src/errors.js';
import { asPhaseError, checkPhases } from '../../src/stack/phase-check.js';
import { planFromAssembly } from '../../src/stack/plan.js';
import { Wiring } from '../../src/stack/wiring.js';
import { sampleConfig } from '../helpers/project.js';
import { useFreshStages, useStages, type BuiltStage } from './build.js';

const built = useStages(['dev', 'staging', 'prod'] as const);
const fresh = useFreshStages();

/** The error `fn` throws; fails the test when it throws nothing. */
function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, none was thrown');
}

function expectSpec3Error(error: Error, code: string): Spec3Error {
  expect(error).toBeInstanceOf(Spec3Error);
  expect((error as Spec3Error).code).toBe(code);
  return error as Spec3Error;
}

const apiFunction = (b: BuiltStage): lambda.Function =>
  b.stack('compute').node.children.find((c): c is lambda.Function => c instanceof lambda.Function && c.node.id === 'Api')!;
const table = (b: BuiltStage): dynamodb.Table => b.stack('storage').node.findChild('Table') as dynamodb.Table;

describe('phase order through the wiring', () => {
  it('refuses a foundation stack reading from an app-phase stack', () => {
    const storage = built.dev.stack('storage');
    const error = expectSpec3Error(
      thrownBy(() => storage.wiring.consume(storage, 'compute', 'fn-api-arn')),
      'PHASE_ORDER',
    );
    expect(error.message).toContain(
      'Stack orders-dev-storage (phase foundation) references orders-dev-compute (phase app, a later phase) through fn-api-arn.',
    );
    expect(error.hint).toContain('Move the resource that needs orders-dev-compute into a stack of phase app or later');
  });

  it('refuses an app-phase stack reading from the integrations phase, naming both', () => {
    // Nothing publishes from integrations in the sample, so give it a value first.
    const b = fresh('dev');
    const integrations = b.stack('integrations');
    integrations.wiring.publish(integrations, 'rule-count', '3');
    const monitoring = b.stack('monitoring');
    const error = expectSpec3Error(thrownBy(() => monitoring.wiring.consume(monitoring, 'integrations', 'rule-count')), 'PHASE_ORDER');
    expect(error.message).toContain(
      'Stack orders-dev-monitoring (phase app) references orders-dev-integrations (phase integrations, a later phase)',
    );
  });

  it('refuses a later-phase read even while the later stack does not exist yet', () => {
    // buildApp creates stacks in phase order: a foundation stack is built before compute exists.
    const b = fresh('dev');
    const wiring = new Wiring();
    const storage = b.stack('storage');
    const early = Object.assign(Object.create(Object.getPrototypeOf(storage)), storage, { wiring });
    const error = expectSpec3Error(thrownBy(() => wiring.consume(early, 'compute', 'fn-api-arn')), 'PHASE_ORDER');
    expect(error.message).toContain('Stack orders-dev-storage (phase foundation) references orders-dev-compute (phase app, a later phase) through fn-api-arn.');
  });

  it('allows reading back from an earlier phase, through SSM, with a stack dependency', () => {
    const b = fresh('dev');
    const integrations = b.stack('integrations');
    const value = integrations.wiring.consume(integrations, 'security', 'key-arn');
    new ssm.StringParameter(integrations, 'KeyCopy', { parameterName: '/copy', stringValue: value });
    expect(integrations.dependencies).toContain(b.stack('security'));
    const parameters = Object.values(b.template('integrations').findParameters('*', { Default: '/spec3/orders/dev/security/key-arn' }));
    expect(parameters).toEqual([{ Type: 'AWS::SSM::Parameter::Value<String>', Default: '/spec3/orders/dev/security/key-arn' }]);
  });

  it('refuses a key the producer does not publish, and a stack the stage does not have', () => {
    const storage = built.dev.stack('storage');
    const unpublished = expectSpec3Error(thrownBy(() => storage.wiring.consume(storage, 'security', 'nope')), 'STACK_REFERENCE_MISSING');
    expect(unpublished.message).toBe('Stack orders-dev-storage reads "nope" from orders-dev-security, which does not publish it.');

    const b = fresh('dev', sampleConfig({ features: { api: { type: 'rest' }, vpc: false } }));
    const compute = b.stack('compute');
    const missing = expectSpec3Error(thrownBy(() => compute.wiring.consume(compute, 'network', 'vpc-id')), 'STACK_REFERENCE_MISSING');
    expect(missing.message).toBe('Stack orders-dev-compute reads "vpc-id" from the network stack, which this stage does not have.');
  });
});

describe('phase order of raw CDK references (checkPhases)', () => {
  it('refuses a foundation stack referencing an app-phase resource', () => {
    const b = fresh('dev');
    // The network stack: compute does not read from it, so CDK itself sees no cycle.
    new ssm.StringParameter(b.stack('network'), 'X', { parameterName: '/x', stringValue: apiFunction(b).functionArn });
    const assembly = b.app.synth();
    const error = expectSpec3Error(thrownBy(() => checkPhases(assembly)), 'PHASE_ORDER');
    expect(error.message).toContain(
      'Stack orders-dev-network (phase foundation) references orders-dev-compute (phase app, a later phase) through a cross-stack reference.',
    );
  });

  it('names as PHASE_ORDER the cycle CDK refuses when compute already reads from the referencing stack', () => {
    const b = fresh('dev');
    new ssm.StringParameter(b.stack('storage'), 'X', { parameterName: '/x', stringValue: apiFunction(b).functionArn });
    // Compute already depends on storage (through SSM), so CDK refuses the reference as a cycle
    // before checkPhases sees the assembly; synth maps that error with asPhaseError.
    const error = expectSpec3Error(asPhaseError(thrownBy(() => b.app.synth())) as Error, 'PHASE_ORDER');
    expect(error.message).toMatch(/^A stack references a stack of a later phase, which would make the two depend on each other: /);
    expect(error.message).toContain('orders-dev-storage');
    expect(error.message).toContain('orders-dev-compute');
    expect(error.hint).toContain('integrations stack');
  });

  it('leaves other synthesis errors as they are', () => {
    const other = new Error('something else');
    expect(asPhaseError(other)).toBe(other);
  });

  it('refuses a backward raw reference, which CDK turns into an export', () => {
    const b = fresh('dev');
    new ssm.StringParameter(b.stack('compute'), 'X', { parameterName: '/x', stringValue: table(b).tableArn });
    const error = expectSpec3Error(thrownBy(() => checkPhases(b.app.synth())), 'CROSS_STACK_EXPORT');
    expect(error.message).toMatch(/^Stack orders-dev-compute imports CloudFormation export\(s\) "orders-dev-storage:ExportsOutput[^"]*TableCD117FA1Arn[^"]*";/);
    expect(error.hint).toContain('wiring.publish');
  });

  it('refuses a same-phase raw reference, which CDK turns into an export', () => {
    const b = fresh('dev');
    new ssm.StringParameter(b.stack('network'), 'X', { parameterName: '/x', stringValue: table(b).tableName });
    const error = expectSpec3Error(thrownBy(() => checkPhases(b.app.synth())), 'CROSS_STACK_EXPORT');
    expect(error.message).toContain('Stack orders-dev-network imports CloudFormation export(s) "orders-dev-storage:');
  });

  it('refuses a stack without a phase tag', () => {
    const b = fresh('dev');
    new Stack(b.app, 'Stray', { stackName: 'stray' });
    expect(() => checkPhases(b.app.synth())).toThrow('Stack stray has no spec3:phase tag');
  });

  it('passes the sample app of every stage', () => {
    for (const stage of ['dev', 'staging', 'prod'] as const) {
      expect(() => checkPhases(built[stage].app.synth())).not.toThrow();
    }
  });
});

describe('planFromAssembly', () => {
  it('lists the phases in order: foundation, app, integrations', () => {
    expect(planFromAssembly(built.dev.app.synth()).map((p) => p.phase)).toEqual(['foundation', 'app', 'integrations']);
  });

  it('lists in-phase dependencies only: storage and messaging after security, api after compute', () => {
    const plan = planFromAssembly(built.dev.app.synth());
    const dependsOn = Object.fromEntries(plan.flatMap((p) => p.stacks.map((s) => [s.name, s.dependsOn])));
    expect(dependsOn).toEqual({
      'orders-dev-network': [],
      'orders-dev-security': [],
      'orders-dev-storage': ['orders-dev-security'],
      'orders-dev-messaging': ['orders-dev-security'],
      // compute's dependencies (security, storage, messaging) are all in the foundation phase.
      'orders-dev-compute': [],
      'orders-dev-api': ['orders-dev-compute'],
      'orders-dev-monitoring': ['orders-dev-api'],
      'orders-dev-integrations': [],
    });
  });

  it('orders each phase so that a stack comes after the stacks it depends on', () => {
    const plan = planFromAssembly(built.dev.app.synth());
    const names = (phase: string) => plan.find((p) => p.phase === phase)!.stacks.map((s) => s.name);
    const foundation = names('foundation');
    expect([...foundation].sort()).toEqual(['orders-dev-messaging', 'orders-dev-network', 'orders-dev-security', 'orders-dev-storage']);
    expect(foundation.indexOf('orders-dev-security')).toBeLessThan(foundation.indexOf('orders-dev-storage'));
    expect(foundation.indexOf('orders-dev-security')).toBeLessThan(foundation.indexOf('orders-dev-messaging'));
    expect(names('app')).toEqual(['orders-dev-compute', 'orders-dev-api', 'orders-dev-monitoring']);
    expect(names('integrations')).toEqual(['orders-dev-integrations']);
    for (const phase of plan) {
      const seen = new Set<string>();
      for (const stack of phase.stacks) {
        for (const dep of stack.dependsOn) expect(seen.has(dep), `${stack.name} after ${dep}`).toBe(true);
        seen.add(stack.name);
      }
    }
  });

  it('reports template file, resource count and termination protection', () => {
    const security = (stage: 'dev' | 'prod') =>
      planFromAssembly(built[stage].app.synth())
        .flatMap((p) => p.stacks)
        .find((s) => s.kind === 'security')!;
    expect(security('dev')).toMatchObject({
      name: 'orders-dev-security',
      phase: 'foundation',
      template: 'orders-dev-security.template.json',
      // key, alias, managed policy, 2 SSM parameters
      resources: 5,
      terminationProtection: false,
    });
    expect(security('prod').terminationProtection).toBe(true);
  });

  it('leaves out phases without stacks', () => {
    const b = fresh('dev', sampleConfig({ functions: [] }));
    const plan = planFromAssembly(b.app.synth());
    expect(plan.map((p) => p.phase)).toEqual(['foundation', 'app']);
    expect(plan[0]!.stacks.map((s) => s.kind).sort()).toEqual(['messaging', 'network', 'security', 'storage']);
    expect(plan[1]!.stacks.map((s) => s.kind)).toEqual(['monitoring']);
  });
});
