import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { resolveFunctions, resolveStage } from '../../src/config/resolve.js';
import type { Spec3ConfigInput } from '../../src/config/schema.js';
import { Spec3Error } from '../../src/errors.js';
import { spec3ErrorOf } from '../helpers/errors.js';
import { sampleConfig } from '../helpers/project.js';

/** The sample config with `overrides`; `features` are added to the sample's own (its API and VPC). */
const parse = (overrides: Partial<Spec3ConfigInput> = {}) =>
  parseConfig(JSON.stringify(sampleConfig({ ...overrides, features: { ...sampleConfig().features, ...overrides.features } })));
const SERVICE = { image: 'public.ecr.aws/nginx/nginx:1.27' };

/** The error parsing `overrides` gives, for its message. */
function problem(overrides: Partial<Spec3ConfigInput>): Spec3Error {
  return spec3ErrorOf(() => parse(overrides));
}

describe('optional parts: per-stage sizing', () => {
  it('sizes the container service 1 task in dev, 2 in staging, 3 in prod', () => {
    const c = parse({ features: { service: SERVICE } });
    expect(resolveStage(c, 'dev').service).toEqual({ cpu: 256, memory: 512, desiredCount: 1, minCount: 1, maxCount: 2, cpuTarget: 70 });
    expect(resolveStage(c, 'staging').service).toMatchObject({ desiredCount: 2, minCount: 2, maxCount: 4 });
    expect(resolveStage(c, 'prod').service).toEqual({ cpu: 1024, memory: 2048, desiredCount: 3, minCount: 3, maxCount: 10, cpuTarget: 70 });
  });

  it('turns canary delivery and WAF on in prod only, with a stricter SLO outside dev', () => {
    const c = parse();
    expect(resolveStage(c, 'dev')).toMatchObject({ canary: false, waf: false, slo: { availability: 99.5 } });
    expect(resolveStage(c, 'staging')).toMatchObject({ canary: false, slo: { availability: 99.9 } });
    expect(resolveStage(c, 'prod')).toMatchObject({ canary: true, waf: true, slo: { availability: 99.9 } });
  });

  it('applies per-stage function settings over the function and the stage defaults, merged by name', () => {
    const c = parse({
      defaults: { functions: { api: { reservedConcurrency: 20, memory: 512 } } },
      stages: {
        dev: { account: '123456789012', region: 'us-east-1' },
        prod: { account: '123456789012', region: 'us-east-1', functions: { api: { provisionedConcurrency: 5 } } },
      },
    });
    const api = (stage: string) => resolveFunctions(c, resolveStage(c, stage)).find((f) => f.name === 'api')!;
    expect(api('dev')).toMatchObject({ memory: 512, reservedConcurrency: 20, provisionedConcurrency: undefined });
    expect(api('prod')).toMatchObject({ memory: 512, reservedConcurrency: 20, provisionedConcurrency: 5 });
    expect(resolveFunctions(c, resolveStage(c, 'prod')).find((f) => f.name !== 'api')!.reservedConcurrency).toBeUndefined();
  });
});

describe('optional parts: bad input names the field and the fix', () => {
  it('refuses a service with both or neither of source and image', () => {
    expect(problem({ features: { service: { ...SERVICE, source: 'service' } } }).message).toContain(
      'features.service: expected exactly one of "source" (a Dockerfile directory) or "image" (an image URI)',
    );
    expect(problem({ features: { service: {} } }).message).toContain('features.service');
  });

  it('refuses a CPU and memory pair Fargate does not run, and counts out of order', () => {
    const err = problem({ features: { service: SERVICE }, defaults: { service: { cpu: 256, memory: 4096 } } });
    expect(err.message).toContain('stages.dev.service.memory: 4096 MiB does not go with 256 CPU units on Fargate; use 512, 1024 or 2048.');
    const counts = problem({ features: { service: SERVICE }, defaults: { service: { minCount: 3, desiredCount: 2 } } });
    expect(counts.message).toContain('expected minCount <= desiredCount <= maxCount, got 3 <= 2 <= 2');
  });

  it('refuses settings for a function that does not exist, naming the ones that do', () => {
    const err = problem({
      stages: { dev: { account: '123456789012', region: 'us-east-1', functions: { apy: { reservedConcurrency: 5 } } } },
    });
    expect(err.message).toContain('stages.dev.functions.apy: there is no function "apy"; the functions are "api"');
  });

  it('refuses more provisioned than reserved concurrency', () => {
    const err = problem({
      stages: { dev: { account: '123456789012', region: 'us-east-1', functions: { api: { reservedConcurrency: 2, provisionedConcurrency: 5 } } } },
    });
    expect(err.message).toContain('stages.dev.functions.api.provisionedConcurrency: 5 is more than its reservedConcurrency 2');
  });

  it('refuses features that run in the VPC when the VPC is off', () => {
    const err = problem({ features: { vpc: false, service: SERVICE, graph: {} } });
    expect(err.message).toContain('features.service: runs in the stage\'s VPC; remove "vpc": false');
    expect(err.message).toContain('features.graph: runs in the stage\'s VPC');
  });

  it('refuses an SLO outside 90 to 99.999 percent and an unknown OIDC provider mode', () => {
    expect(problem({ defaults: { slo: { availability: 100 } } }).message).toContain('expected an availability target of at most 99.999');
    expect(problem({ features: { pipeline: { github: 'acme/orders', oidcProvider: 'maybe' as never } } }).message).toContain(
      'expected "create" or "existing"',
    );
  });
});
