import path from 'node:path';
import { assertAssemblyFor, readAssembly, type Assembly } from '../aws/assembly.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { resolveStage, type ResolvedStage } from '../config/resolve.js';
import type { Context } from '../context.js';
import { synthesize } from './synth/synthesize.js';

export interface LoadedStage {
  readonly stage: ResolvedStage;
  /** Directory of the config file: `.spec3/` lives there. */
  readonly projectDir: string;
  readonly assembly: Assembly;
}

/**
 * The stage and its cloud assembly: synthesized now, or taken from `--assembly`, which must have
 * been synthesized for this project, stage, account and region (else it is refused, before
 * anything is written).
 */
export async function loadStage(
  options: { stage: string; config?: string; assembly?: string },
  ctx: Pick<Context, 'cwd' | 'io'>,
  /** The config, when the caller has read it already. */
  preloaded?: LoadedConfig,
): Promise<LoadedStage> {
  if (options.assembly) {
    const loaded = preloaded ?? (await loadConfig({ cwd: ctx.cwd, config: options.config, io: ctx.io }));
    const stage = resolveStage(loaded.config, options.stage, loaded.name);
    const assembly = await readAssembly(path.resolve(ctx.cwd, options.assembly));
    assertAssemblyFor(assembly, stage);
    return { stage, projectDir: loaded.dir, assembly };
  }
  const s = await synthesize({ stage: options.stage, ...(options.config ? { config: options.config } : {}), ...(preloaded ? { loaded: preloaded } : {}) }, ctx);
  return { stage: s.stage, projectDir: s.loaded.dir, assembly: await readAssembly(s.outDir) };
}
