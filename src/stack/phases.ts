import { Spec3Error } from '../errors.js';

/**
 * The phase map: which stack deploys in which phase. A stack may read values only from stacks of
 * its own or an earlier phase (checked at synth, see phase-check.ts); that ordering is what breaks
 * the Compute -> Security -> Storage -> Compute cycle of a modular CDK app.
 */
export const PHASES = ['foundation', 'app', 'integrations'] as const;
export type Phase = (typeof PHASES)[number];

export const STACK_PHASES = {
  network: 'foundation',
  security: 'foundation',
  storage: 'foundation',
  messaging: 'foundation',
  /** GitHub OIDC provider and the stage's CI deploy role (features.pipeline). */
  pipeline: 'foundation',
  /** WAF web ACL of the stage (waf); the API and the load balancer attach to it. */
  edge: 'foundation',
  /** Opt-in data services: OpenSearch Serverless collection, Neptune cluster (features.search, features.graph). */
  data: 'foundation',
  compute: 'app',
  api: 'app',
  /** ECS Fargate service behind an Application Load Balancer (features.service). */
  service: 'app',
  monitoring: 'app',
  integrations: 'integrations',
} as const satisfies Record<string, Phase>;

export type StackKind = keyof typeof STACK_PHASES;

export const phaseIndex = (phase: Phase): number => PHASES.indexOf(phase);

export function isPhase(value: string): value is Phase {
  return (PHASES as readonly string[]).includes(value);
}

/** A `--phase` flag's value, checked; undefined when the flag was not given. */
export function parsePhase(value: string | undefined): Phase | undefined {
  if (value === undefined) return undefined;
  if (!isPhase(value)) throw new Spec3Error('UNKNOWN_PHASE', `Unknown phase "${value}".`, `Use one of: ${PHASES.join(', ')}.`);
  return value;
}
