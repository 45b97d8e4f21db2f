import type { Spec3Config } from '../config/schema.js';
import { STACK_PHASES, type StackKind } from './phases.js';

/** What decides which stacks a stage has: a few config fields, no CDK (so status can ask cheaply). */
export interface StageShape {
  readonly stage: { readonly waf: boolean };
  readonly functions: readonly { readonly triggers: readonly { readonly type: string }[] }[];
  readonly features: Spec3Config['features'];
}

const hasRoutes = (s: StageShape) => s.functions.some((fn) => fn.triggers.some((t) => t.type === 'http'));

/** When each stack kind is part of a stage; the app builds exactly these, status lists them. */
const WHEN: Record<StackKind, (s: StageShape) => boolean> = {
  network: (s) => s.features.vpc,
  security: () => true,
  edge: (s) => s.stage.waf,
  pipeline: (s) => Boolean(s.features.pipeline),
  storage: () => true,
  data: (s) => Boolean(s.features.search || s.features.graph),
  messaging: () => true,
  compute: (s) => s.functions.length > 0,
  api: (s) => Boolean(s.features.api) && hasRoutes(s),
  service: (s) => Boolean(s.features.service),
  monitoring: () => true,
  integrations: (s) => s.functions.some((fn) => fn.triggers.some((t) => t.type !== 'http')),
};

/** The stack kinds a stage has, in the phase map's order: buildApp builds exactly these (in its own order inside a phase), status lists them. */
export function stackKindsOf(shape: StageShape): StackKind[] {
  return (Object.keys(STACK_PHASES) as StackKind[]).filter((kind) => WHEN[kind](shape));
}
