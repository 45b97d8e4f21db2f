import path from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { resolveStage, type ResolvedStage } from '../config/resolve.js';
import type { Context } from '../context.js';
import { synthesize } from './synth/synthesize.js';

export interface LoadedStage {
  readonly stage: ResolvedStage;
  /** Directory of the config file: `.spec3/` lives there. */
  readonly projectDir: string;
  readonly assemblyDir: string;
}

/** The stage and its cloud assembly: synthesized now, or taken from `--assembly`. */
export async function loadStage(
  options: { stage: string; config?: string; assembly?: string },
  ctx: Pick<Context, 'cwd' | 'io'>,
  /** The config, when the caller has read it already. */
  preloaded?: LoadedConfig,
): Promise<LoadedStage> {
  if (options.assembly) {
    const loaded = preloaded ?? (await loadConfig({ cwd: ctx.cwd, config: options.config, io: ctx.io }));
    return {
      stage: resolveStage(loaded.config, options.stage, loaded.name),
      projectDir: loaded.dir,
      assemblyDir: path.resolve(ctx.cwd, options.assembly),
    };
  }
  const s = await synthesize({ stage: options.stage, ...(options.config ? { config: options.config } : {}), ...(preloaded ? { loaded: preloaded } : {}) }, ctx);
  return { stage: s.stage, projectDir: s.loaded.dir, assemblyDir: s.outDir };
}
