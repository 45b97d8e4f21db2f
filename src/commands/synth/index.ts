import type { Context } from '../../context.js';
import type { PlannedPhase } from '../../stack/plan.js';
import { synthesize } from './synthesize.js';

export interface SynthOptions {
  readonly stage: string;
  readonly config?: string;
  readonly out?: string;
}

export interface SynthResult {
  readonly project: string;
  readonly stage: string;
  readonly account: string;
  readonly region: string;
  /** Absolute path of the cloud assembly. */
  readonly outDir: string;
  readonly phases: readonly PlannedPhase[];
  readonly durationMs: number;
}

/** `spec3 synth <stage>`: writes the stage's cloud assembly and reports its stacks by phase. */
export async function run(options: SynthOptions, ctx: Pick<Context, 'cwd' | 'io'>): Promise<SynthResult> {
  const started = Date.now();
  const s = await synthesize(options, ctx);
  return {
    project: s.stage.project,
    stage: s.stage.name,
    account: s.stage.account,
    region: s.stage.region,
    outDir: s.outDir,
    phases: s.phases,
    durationMs: Date.now() - started,
  };
}
