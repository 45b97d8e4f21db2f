import { Spec3Error } from '../errors.js';
import { layeredSettings } from './presets.js';
import type { FunctionConfig, Spec3Config } from './schema.js';
import { CONFIG_FILE } from './load.js';

/** A stage with every setting decided: what the embedded CDK app is built from. */
export interface ResolvedStage {
  readonly project: string;
  readonly name: string;
  /** CDK bootstrap qualifier; undefined means the CDK default. */
  readonly qualifier: string | undefined;
  readonly account: string;
  readonly region: string;
  readonly azs: number;
  readonly availabilityZones: readonly string[] | undefined;
  readonly natGateways: number;
  readonly lambda: { readonly memory: number; readonly timeout: number };
  readonly logRetentionDays: number;
  readonly alarms: { readonly errors: number; readonly durationPercent: number; readonly throttles: number };
  readonly api: { readonly throttleRate: number; readonly throttleBurst: number };
  readonly pointInTimeRecovery: boolean;
  readonly waf: boolean;
  readonly retainData: boolean;
  readonly protected: boolean;
  readonly alarmEmail: string | undefined;
}

/** A function with the stage's defaults applied. */
export interface ResolvedFunction extends FunctionConfig {
  readonly memory: number;
  readonly timeout: number;
}

export function stageNames(config: Spec3Config): string[] {
  return Object.keys(config.stages);
}

/**
 * Resolves one stage: built-in base < preset for well-known stage names < `defaults` < the stage.
 * Throws a named error for an unknown stage (listing the known ones) or a missing account/region.
 */
export function resolveStage(config: Spec3Config, stageName: string): ResolvedStage {
  const own = config.stages[stageName];
  if (!own) {
    throw new Spec3Error(
      'UNKNOWN_STAGE',
      `Unknown stage "${stageName}": ${CONFIG_FILE} defines ${stageNames(config).map((s) => `"${s}"`).join(', ')}.`,
      `Use one of those, or add "${stageName}" under "stages" in ${CONFIG_FILE}.`,
    );
  }
  const s = layeredSettings(stageName, config.defaults, own);
  for (const field of ['account', 'region'] as const) {
    if (!s[field]) {
      throw new Spec3Error(
        'CONFIG_INVALID',
        `${CONFIG_FILE}: stages.${stageName}.${field}: missing; every stage needs an ${field === 'account' ? 'account id' : 'AWS region'}.`,
        `Set "${field}" under stages.${stageName} (or under "defaults" for every stage).`,
      );
    }
  }
  return {
    project: config.project,
    qualifier: config.qualifier,
    name: stageName,
    account: s.account!,
    region: s.region!,
    azs: s.availabilityZones?.length ?? s.azs!,
    availabilityZones: s.availabilityZones,
    natGateways: s.natGateways!,
    lambda: s.lambda as ResolvedStage['lambda'],
    logRetentionDays: s.logRetentionDays!,
    alarms: s.alarms as ResolvedStage['alarms'],
    api: s.api as ResolvedStage['api'],
    pointInTimeRecovery: s.pointInTimeRecovery!,
    waf: s.waf!,
    retainData: s.retainData!,
    protected: s.protected!,
    alarmEmail: s.alarmEmail,
  };
}

export function resolveFunctions(config: Spec3Config, stage: ResolvedStage): ResolvedFunction[] {
  return config.functions.map((fn) => ({
    ...fn,
    memory: fn.memory ?? stage.lambda.memory,
    timeout: fn.timeout ?? stage.lambda.timeout,
  }));
}
