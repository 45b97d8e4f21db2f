import { STACK_PHASES, type Phase, type StackKind } from './phases.js';

/**
 * Every physical name spec3 gives: stage-prefixed, so stages and projects share an account safely.
 * Pure and free of aws-cdk-lib, so config validation can check AWS name limits before any synth.
 */
export interface NameScope {
  readonly project: string;
  readonly stage: string;
}

/** AWS limits on the names spec3 chooses. */
export const NAME_LIMITS = {
  stack: 128,
  lambda: 64,
  bucket: 63,
  queue: 80,
  table: 255,
  topic: 256,
} as const;

export const prefix = (s: NameScope): string => `${s.project}-${s.stage}`;
export const stackName = (s: NameScope, stack: string): string => `${prefix(s)}-${stack}`;
export const functionName = (s: NameScope, fn: string): string => `${prefix(s)}-${fn}`;
export const tableName = (s: NameScope): string => `${prefix(s)}-table`;
export const bucketName = (s: NameScope & { account: string; region: string }): string =>
  `${prefix(s)}-data-${s.account}-${s.region}`;
export const queueName = (s: NameScope, queue: 'work' | 'work-dlq' | 'functions-dlq'): string => `${prefix(s)}-${queue}`;
export const topicName = (s: NameScope): string => `${prefix(s)}-alerts`;
/** SSM parameter through which a stack publishes a value to later stacks (see stack/wiring.ts). */
export const parameterName = (s: NameScope, stack: string, key: string): string =>
  `/spec3/${s.project}/${s.stage}/${stack}/${key}`;

export interface StageStack {
  readonly kind: StackKind;
  readonly name: string;
  readonly phase: Phase;
}

/** Every stack a stage can have, by name and phase, straight from the phase map (no synth). */
export function stageStacks(scope: NameScope): StageStack[] {
  return (Object.entries(STACK_PHASES) as [StackKind, Phase][]).map(([kind, phase]) => ({ kind, phase, name: stackName(scope, kind) }));
}
