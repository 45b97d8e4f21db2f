import { describe, expect, it } from 'vitest';
import type { Spec3ConfigInput } from '../../src/config/schema.js';
import { checkStackLimits, STACK_LIMITS } from '../../src/stack/limits.js';
import { spec3ErrorOf } from '../helpers/errors.js';
import { sampleConfig } from '../helpers/project.js';
import { useFreshStages } from './build.js';
import { fullExample } from './nag.js';

type Loose = Record<string, any>;

/** `count` raw queues (and as many outputs, when asked) in the monitoring stack. */
function manyQueues(count: number, outputs = 0): Spec3ConfigInput {
  const resources: Loose = {};
  for (let i = 0; i < count; i++) resources[`Queue${i}`] = { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } };
  const out: Loose = {};
  for (let i = 0; i < outputs; i++) out[`Url${i}`] = { Value: { Ref: `Queue${i % count}` } };
  return sampleConfig({ extensions: { monitoring: { resources, outputs: out } } } as Spec3ConfigInput);
}

describe('stack limits at synth', () => {
  const fresh = useFreshStages();
  const check = (stage: ReturnType<typeof fresh>) => checkStackLimits(stage.app.synth(), stage.stage.extensions);

  it("pass spec3's own stacks of every part of the system", () => {
    for (const stage of ['dev', 'prod']) check(fresh(stage, fullExample()));
  });

  it('refuse a stack that raw resources take past 500 resources, saying how many are raw and where they come from', () => {
    const stage = fresh('dev', manyQueues(STACK_LIMITS.resources));
    const own = Object.keys((fresh('dev').template('monitoring').toJSON() as Loose).Resources).length;
    const error = spec3ErrorOf(() => check(stage));
    expect(error.code).toBe('STACK_LIMIT');
    expect(error.message).toBe(`Stack orders-dev-monitoring has ${own + STACK_LIMITS.resources} resources; CloudFormation allows 500 (500 of them from extensions.monitoring in spec3.config.json).`);
    expect(error.hint).toContain('Move some of extensions.monitoring into the block of another stack kind');
  });

  it('refuse more than 200 outputs, and accept exactly the limit', () => {
    expect(spec3ErrorOf(() => check(fresh('dev', manyQueues(10, 201)))).message).toContain('has 201 outputs; CloudFormation allows 200 (201 of them from extensions.monitoring');
    check(fresh('dev', manyQueues(10, 200)));
  });
});
