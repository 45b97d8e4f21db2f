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
  canary: false,
  retainData: false,
  protected: false,
  service: { cpu: 256, memory: 512, desiredCount: 1, minCount: 1, maxCount: 2, cpuTarget: 70 },
  slo: { availability: 99.5 },
  search: { standbyReplicas: false },
  graph: { instanceClass: 'db.t4g.medium', instances: 1 },
} as const satisfies StageSettings;

/** Presets keyed by well-known stage names; other stage names start from BASE_SETTINGS only. */
export const STAGE_PRESETS: Readonly<Record<string, StageSettings>> = {
  dev: { natGateways: 0, logRetentionDays: 7, alarms: { errors: 5 } },
  staging: { natGateways: 1, pointInTimeRecovery: true, service: { desiredCount: 2, minCount: 2, maxCount: 4 }, slo: { availability: 99.9 } },
  prod: {
    azs: 3,
    natGateways: 3,
    logRetentionDays: 365,
    pointInTimeRecovery: true,
    waf: true,
    canary: true,
    retainData: true,
    protected: true,
    api: { throttleRate: 1000, throttleBurst: 2000 },
    // The original system's sizing: three tasks across three zones in prod.
    service: { cpu: 1024, memory: 2048, desiredCount: 3, minCount: 3, maxCount: 10 },
    slo: { availability: 99.9 },
    search: { standbyReplicas: true },
    graph: { instanceClass: 'db.r6g.large', instances: 2 },
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
      if (key === 'functions' && typeof prev === 'object' && prev !== null) {
        // Per-function blocks merge by function name, then field by field.
        const merged: Record<string, object> = { ...(prev as Record<string, object>) };
        for (const [fn, block] of Object.entries(value as Record<string, object>)) merged[fn] = { ...merged[fn], ...block };
        out[key] = merged;
        continue;
      }
      out[key] =
        typeof value === 'object' && value !== null && !Array.isArray(value) && typeof prev === 'object' && prev !== null
          ? { ...prev, ...value }
          : value;
    }
  }
  return out as StageSettings;
}
