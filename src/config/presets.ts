import type { StageSettings } from './schema.js';

/**
 * Settings every stage starts from, before the config's `defaults` and the stage's own block.
 * Sizing follows the system spec3 replaces: dev is cheap (no NAT), prod is protected and redundant.
 */
export const BASE_SETTINGS = {
  azs: 2,
  natGateways: 1,
  lambda: { memory: 256, timeout: 30 },
  logRetentionDays: 30,
  alarms: { errors: 1, durationPercent: 80, throttles: 1 },
  api: { throttleRate: 100, throttleBurst: 200 },
  pointInTimeRecovery: false,
  waf: false,
  retainData: false,
  protected: false,
} as const satisfies StageSettings;

/** Presets keyed by well-known stage names; other stage names start from BASE_SETTINGS only. */
export const STAGE_PRESETS: Readonly<Record<string, StageSettings>> = {
  dev: { natGateways: 0, logRetentionDays: 7, alarms: { errors: 5 } },
  staging: { natGateways: 1, pointInTimeRecovery: true },
  prod: {
    azs: 3,
    natGateways: 3,
    logRetentionDays: 365,
    pointInTimeRecovery: true,
    waf: true,
    retainData: true,
    protected: true,
    api: { throttleRate: 1000, throttleBurst: 2000 },
  },
};

export const DEFAULT_STAGES = ['dev', 'staging', 'prod'] as const;

/**
 * A stage's settings before validation of what is required: built-in base < preset for the stage's
 * name < the config's `defaults` < the stage's own block. Nested blocks merge field by field.
 */
export function layeredSettings(stageName: string, defaults: StageSettings | undefined, own: StageSettings | undefined): StageSettings {
  const out: Record<string, unknown> = {};
  for (const layer of [BASE_SETTINGS, STAGE_PRESETS[stageName], defaults, own]) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      const prev = out[key];
      out[key] =
        typeof value === 'object' && value !== null && !Array.isArray(value) && typeof prev === 'object' && prev !== null
          ? { ...prev, ...value }
          : value;
    }
  }
  return out as StageSettings;
}
