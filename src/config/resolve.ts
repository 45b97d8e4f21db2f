import { Spec3Error } from '../errors.js';
import { layeredSettings } from './presets.js';
import type { FunctionConfig, Spec3Config, StageSettings } from './schema.js';
import { CONFIG_FILE, closest } from './load.js';
import { resolveExtensions, type ResolvedExtensions } from './extensions.js';

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
  /** CodeDeploy canary (10% for 5 minutes, rollback on alarm) for function updates; otherwise all at once. */
  readonly canary: boolean;
  /** Per-function settings of this stage, by function name (already applied by resolveFunctions). */
  readonly functions: Readonly<Record<string, FunctionOverrides>>;
  readonly service: {
    readonly cpu: number;
    readonly memory: number;
    readonly desiredCount: number;
    readonly minCount: number;
    readonly maxCount: number;
    readonly cpuTarget: number;
  };
  readonly slo: { readonly availability: number };
  readonly search: { readonly standbyReplicas: boolean };
  readonly graph: { readonly instanceClass: string; readonly instances: number };
  /** Raw CloudFormation merged into the stage's stacks (`extensions`, layered per stage). */
  readonly extensions: ResolvedExtensions;
}

export type FunctionOverrides = NonNullable<StageSettings['functions']>[string];

/** A function with the stage's defaults and its per-stage settings applied. */
export interface ResolvedFunction extends FunctionConfig {
  readonly memory: number;
  readonly timeout: number;
  readonly reservedConcurrency: number | undefined;
  readonly provisionedConcurrency: number | undefined;
}

export function stageNames(config: Spec3Config): string[] {
  return Object.keys(config.stages);
}

/**
 * Resolves one stage: built-in base < preset for well-known stage names < `defaults` < the stage.
 * Throws a named error for an unknown stage (listing the known ones) or a missing account/region.
 */
export function resolveStage(config: Spec3Config, stageName: string, file: string = CONFIG_FILE): ResolvedStage {
  const own = config.stages[stageName];
  if (!own) {
    const guess = closest(stageName, stageNames(config));
    throw new Spec3Error(
      'UNKNOWN_STAGE',
      `Unknown stage "${stageName}": ${guess ? `did you mean "${guess}"? ` : ''}${file} defines ${stageNames(config).map((s) => `"${s}"`).join(', ')}.`,
      `Use one of those, or add "${stageName}" under "stages" in ${file}.`,
    );
  }
  const s = layeredSettings(stageName, config.defaults, own);
  for (const field of ['account', 'region'] as const) {
    if (!s[field]) {
      throw new Spec3Error(
        'CONFIG_INVALID',
        `${file}: stages.${stageName}.${field}: missing; every stage needs an ${field === 'account' ? 'account id' : 'AWS region'}.`,
        `Set "${field}" under stages.${stageName} in ${file} (or under "defaults" for every stage).`,
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
    canary: s.canary!,
    functions: s.functions ?? {},
    service: s.service as ResolvedStage['service'],
    slo: s.slo as ResolvedStage['slo'],
    search: s.search as ResolvedStage['search'],
    graph: s.graph as ResolvedStage['graph'],
    extensions: resolveExtensions(config, stageName, file),
  };
}

export function resolveFunctions(config: Spec3Config, stage: ResolvedStage): ResolvedFunction[] {
  return config.functions.map((fn) => {
    const own = stage.functions[fn.name] ?? {};
    return {
      ...fn,
      memory: own.memory ?? fn.memory ?? stage.lambda.memory,
      timeout: own.timeout ?? fn.timeout ?? stage.lambda.timeout,
      reservedConcurrency: own.reservedConcurrency,
      provisionedConcurrency: own.provisionedConcurrency,
    };
  });
}
