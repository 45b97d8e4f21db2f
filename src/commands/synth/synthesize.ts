import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Context } from '../../context.js';
import { loadConfig, type LoadedConfig } from '../../config/load.js';
import { resolveFunctions, resolveStage, type ResolvedStage } from '../../config/resolve.js';
import { DEFAULT_RUNTIME, RUNTIME_CREATE_BLOCKED } from '../../config/schema.js';
import { Spec3Error } from '../../errors.js';
import type { PlannedPhase } from '../../stack/plan.js';
import { bundleFunctions } from './bundle.js';
import { checkSources } from './check-sources.js';

export interface SynthesizeOptions {
  readonly stage: string;
  /** Config file, relative to the working directory (default `spec3.config.json`). */
  readonly config?: string;
  /** Assembly directory; default `cdk.out/<stage>` beside the config. */
  readonly out?: string;
  /**
   * Use empty placeholder code instead of real bundles: for commands that need the plan, not the
   * artifacts (`list`), so they never run pip.
   */
  readonly placeholderCode?: boolean;
}

export interface Synthesized {
  readonly loaded: LoadedConfig;
  readonly stage: ResolvedStage;
  readonly outDir: string;
  readonly phases: readonly PlannedPhase[];
}

/** Refuses to wipe a directory that is not a previous cloud assembly. */
async function prepareOutDir(outDir: string): Promise<void> {
  const entries = await readdir(outDir).catch(() => undefined);
  if (!entries || entries.length === 0) return;
  if (!entries.includes('manifest.json')) {
    throw new Spec3Error(
      'OUT_DIR_NOT_ASSEMBLY',
      `Output directory ${outDir} is not empty and holds no cloud assembly; spec3 will not overwrite it.`,
      'Choose another --out directory, or empty this one.',
    );
  }
  // A previous assembly: cleared so that stacks removed from the config leave no stale template.
  await rm(outDir, { recursive: true, force: true });
}

/**
 * config -> resolved stage -> bundled code -> cloud assembly -> phase-checked plan.
 * The shared first half of synth, list, deploy and diff.
 */
export async function synthesize(options: SynthesizeOptions, ctx: Pick<Context, 'cwd' | 'io'>): Promise<Synthesized> {
  const loaded = await loadConfig({ cwd: ctx.cwd, config: options.config });
  const { config, dir } = loaded;
  const stage = resolveStage(config, options.stage);
  const functions = resolveFunctions(config, stage);
  const shownFile = path.relative(ctx.cwd, loaded.file) || loaded.file;
  await checkSources(functions, dir, shownFile);
  if (stage.waf) {
    ctx.io.emit({
      code: 'WAF_NOT_AVAILABLE',
      level: 'warn',
      message: `Stage ${stage.name} asks for WAF, but this version of spec3 creates no web ACL yet; the API is protected by throttling only.`,
    });
  }
  for (const fn of functions) {
    const blocked = RUNTIME_CREATE_BLOCKED[fn.runtime];
    if (blocked) {
      ctx.io.emit({
        code: 'RUNTIME_DEPRECATED',
        level: 'warn',
        message: `Function ${fn.name}: AWS Lambda stopped creating ${fn.runtime} functions on ${blocked}; set "runtime" to "${DEFAULT_RUNTIME}" in ${shownFile}.`,
      });
    }
  }

  let scratch: string | undefined;
  let assets: Map<string, string>;
  if (options.placeholderCode) {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'spec3-plan-'));
    const placeholder = path.join(scratch, 'code');
    await mkdir(placeholder);
    assets = new Map(functions.map((fn) => [fn.name, placeholder]));
  } else {
    assets = await bundleFunctions({ projectDir: dir, functions, cacheDir: path.join(dir, '.spec3', 'build') }, ctx);
  }

  const outDir = options.out
    ? path.resolve(ctx.cwd, options.out)
    : scratch
      ? path.join(scratch, 'assembly')
      : path.join(dir, 'cdk.out', stage.name);
  try {
    await prepareOutDir(outDir);
    // aws-cdk-lib is loaded only here, never for --help or config errors.
    const [{ buildApp }, { asPhaseError, checkPhases }, { planFromAssembly }] = await Promise.all([
      import('../../stack/app.js'),
      import('../../stack/phase-check.js'),
      import('../../stack/plan.js'),
    ]);
    const { app } = buildApp({ stage, functions, features: config.features, assets, outdir: outDir });
    let assembly;
    try {
      assembly = app.synth();
    } catch (error) {
      throw asPhaseError(error);
    }
    checkPhases(assembly);
    return { loaded, stage, outDir, phases: planFromAssembly(assembly) };
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
