import type { Context } from '../../context.js';
import type { PlannedPhase, PlannedStack } from '../../stack/plan.js';
import { synthesize } from '../synth/synthesize.js';

export interface ListOptions {
  readonly stage: string;
  readonly config?: string;
}

export interface ListResult {
  readonly project: string;
  readonly stage: string;
  readonly account: string;
  readonly region: string;
  readonly protected: boolean;
  readonly phases: readonly { readonly phase: PlannedPhase['phase']; readonly stacks: readonly Omit<PlannedStack, 'template'>[] }[];
}

/** `spec3 list <stage>`: the phase plan, computed without bundling code or keeping an assembly. */
export async function run(options: ListOptions, ctx: Pick<Context, 'cwd' | 'io'>): Promise<ListResult> {
  const s = await synthesize({ ...options, placeholderCode: true }, ctx);
  return {
    project: s.stage.project,
    stage: s.stage.name,
    account: s.stage.account,
    region: s.stage.region,
    protected: s.stage.protected,
    // The assembly was temporary: template paths would point nowhere.
    phases: s.phases.map((p) => ({ phase: p.phase, stacks: p.stacks.map(({ template: _template, ...rest }) => rest) })),
  };
}
