import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { resolveFunctions, resolveStage } from '../../src/config/resolve.js';
import { sampleConfig } from '../helpers/project.js';

const config = (overrides = {}) => parseConfig(JSON.stringify(sampleConfig(overrides)));

describe('resolveStage', () => {
  it('applies the well-known stage presets', () => {
    const c = config();
    expect(resolveStage(c, 'dev')).toMatchObject({ natGateways: 0, azs: 2, logRetentionDays: 7, protected: false, retainData: false, waf: false });
    expect(resolveStage(c, 'staging')).toMatchObject({ natGateways: 1, pointInTimeRecovery: true, protected: false });
    expect(resolveStage(c, 'prod')).toMatchObject({
      natGateways: 3,
      azs: 3,
      protected: true,
      retainData: true,
      waf: true,
      pointInTimeRecovery: true,
      logRetentionDays: 365,
      api: { throttleRate: 1000, throttleBurst: 2000 },
      alarmEmail: 'oncall@example.com',
    });
  });

  it('layers base < preset < defaults < stage, merging nested blocks field by field', () => {
    const c = config({
      defaults: { account: '111111111111', region: 'eu-west-1', lambda: { memory: 512 }, alarms: { errors: 3 } },
      stages: { dev: { lambda: { timeout: 60 } }, qa: { natGateways: 2, protected: true } },
    });
    expect(resolveStage(c, 'dev')).toMatchObject({
      account: '111111111111',
      region: 'eu-west-1',
      lambda: { memory: 512, timeout: 60 },
      alarms: { errors: 3, durationPercent: 80, throttles: 1 },
      natGateways: 0,
    });
    // A stage name without a preset starts from the base settings.
    expect(resolveStage(c, 'qa')).toMatchObject({ natGateways: 2, protected: true, logRetentionDays: 30 });
  });

  it('counts configured availability zones instead of azs', () => {
    const c = config({ stages: { dev: { account: '123456789012', region: 'us-west-1', availabilityZones: ['us-west-1b', 'us-west-1c'] } } });
    expect(resolveStage(c, 'dev')).toMatchObject({ azs: 2, availabilityZones: ['us-west-1b', 'us-west-1c'] });
  });

  it("replaces a list from defaults with the stage's list instead of mixing them", () => {
    const c = config({
      defaults: { availabilityZones: ['us-west-1a', 'us-west-1b', 'us-west-1c'] },
      stages: { dev: { account: '123456789012', region: 'us-west-1', availabilityZones: ['us-west-1b', 'us-west-1c'] } },
    });
    expect(resolveStage(c, 'dev')).toMatchObject({ azs: 2, availabilityZones: ['us-west-1b', 'us-west-1c'] });
  });

  it('names the known stages when the stage is unknown', () => {
    expect(() => resolveStage(config(), 'qa')).toThrow('Unknown stage "qa": spec3.config.json defines "dev", "staging", "prod".');
    // A typo of a known stage is named.
    expect(() => resolveStage(config(), 'prdo')).toThrow('Unknown stage "prdo": did you mean "prod"? spec3.config.json defines "dev", "staging", "prod".');
    expect(() => resolveStage(config(), 'stagin')).toThrow('Unknown stage "stagin": did you mean "staging"?');
  });

  it('names the config file that was read (--config), in the message and the fix', () => {
    try {
      resolveStage(config(), 'qa', 'infra/orders.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        code: 'UNKNOWN_STAGE',
        message: 'Unknown stage "qa": infra/orders.json defines "dev", "staging", "prod".',
        hint: 'Use one of those, or add "qa" under "stages" in infra/orders.json.',
      });
    }
  });

  it('requires an account and a region for every stage', () => {
    const c = config({ stages: { dev: { region: 'us-east-1' } } });
    expect(() => resolveStage(c, 'dev')).toThrow('spec3.config.json: stages.dev.account: missing; every stage needs an account id.');
  });
});

describe('resolveFunctions', () => {
  it('takes memory and timeout from the stage unless the function sets them', () => {
    const c = config({
      stages: { prod: { account: '123456789012', region: 'us-east-1', lambda: { memory: 1024 } } },
      functions: [
        { name: 'a1', handler: 'x.handler' },
        { name: 'a2', handler: 'x.handler', memory: 2048, timeout: 120 },
      ],
    });
    const [a1, a2] = resolveFunctions(c, resolveStage(c, 'prod'));
    expect(a1).toMatchObject({ memory: 1024, timeout: 30 });
    expect(a2).toMatchObject({ memory: 2048, timeout: 120 });
  });
});
