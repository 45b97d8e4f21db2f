import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Context } from '../../context.js';
import { loadConfig, shownPath, type LoadedConfig } from '../../config/load.js';
import { resolveFunctions, resolveStage, type ResolvedStage } from '../../config/resolve.js';
import { DEFAULT_RUNTIME, RUNTIME_CREATE_BLOCKED } from '../../config/schema.js';
import { hasExtensions } from '../../config/extensions.js';
import { Spec3Error } from '../../errors.js';
import type { LoadedExtensions } from '../../extend/load.js';
import type { PlannedPhase } from '../../stack/plan.js';
import { bundleFunctions } from './bundle.js';
import { checkServiceSource, checkSources } from './check-sources.js';
import { checkLambdaEnvironments } from './lambda-environment.js';
import { functionName } from '../../stack/naming.js';

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
  /** The config, when the caller has read it already (deploy reads it first for the account check). */
  readonly loaded?: LoadedConfig;
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

/** The project's spec3.extend.* beside the config, bundled and loaded; undefined when it has none. */
async function loadProjectExtensions(dir: string, ctx: Pick<Context, 'cwd'>): Promise<LoadedExtensions | undefined> {
  const { findExtensionFile, loadExtensions } = await import('../../extend/load.js');
  const file = findExtensionFile(dir);
  return file ? loadExtensions(file, shownPath(ctx.cwd, file)) : undefined;
}

/**
 * A hook for a stack the stage does not have is not an error (stages differ: edge only where
 * `waf` is on), but it is said, so a hook that silently never runs does not go unnoticed.
 */
function warnAbsentKinds(extensions: LoadedExtensions, built: readonly string[], stageName: string, ctx: Pick<Context, 'io'>): void {
  for (const kind of Object.keys(extensions.hooks)) {
    if (built.includes(kind)) continue;
    ctx.io.emit({
      code: 'EXTENSION_KIND_ABSENT',
      level: 'warn',
      message: `${extensions.name}: stage ${stageName} has no ${kind} stack, so its ${kind} hook does not run (see \`spec3 list ${stageName}\` for the stage's stacks).`,
    });
  }
}

/**
 * config -> resolved stage -> bundled code -> cloud assembly -> phase-checked plan.
 * The shared first half of synth, list, deploy and diff.
 */
export async function synthesize(options: SynthesizeOptions, ctx: Pick<Context, 'cwd' | 'io'>): Promise<Synthesized> {
  const loaded = options.loaded ?? (await loadConfig({ cwd: ctx.cwd, config: options.config, io: ctx.io }));
  const { config, dir } = loaded;
  const stage = resolveStage(config, options.stage, loaded.name);
  const functions = resolveFunctions(config, stage);
  if (hasExtensions(stage.extensions)) {
    // The resource specification is large: read only for a stage with raw CloudFormation.
    const { checkRawExtensions } = await import('../../config/extension-check.js');
    await checkRawExtensions(stage.extensions);
  }
  const shownFile = loaded.name;
  await checkSources(functions, dir, shownFile);
  const serviceSource = await checkServiceSource(config.features.service, dir, shownFile);
  // Before bundling the functions: a broken extension file fails in a second, not after pip.
  const extensions = await loadProjectExtensions(dir, ctx);
  if (stage.waf && config.features.api?.type === 'http') {
    // API Gateway v2 (HTTP APIs) cannot be associated with a WAF web ACL at all.
    ctx.io.emit({
      code: 'WAF_HTTP_API',
      level: 'warn',
      message:
        `Stage ${stage.name} asks for WAF, but an HTTP API cannot take a WAF web ACL (API Gateway HTTP APIs have no WAF support): ` +
        `the API is protected by throttling only${config.features.service ? '; the load balancer does get the web ACL' : ''}. ` +
        `To put the API behind the web ACL, set features.api.type to "rest" in ${shownFile}.`,
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
    const [{ buildApp }, { asPhaseError, checkPhases }, { checkStackLimits }, { planFromAssembly }, { ownsOidcProvider }] = await Promise.all([
      import('../../stack/app.js'),
      import('../../stack/phase-check.js'),
      import('../../stack/limits.js'),
      import('../../stack/plan.js'),
      import('../../stack/stacks/pipeline-stack.js'),
    ]);
    let assembly;
    try {
      const { app, stacks } = buildApp({
        stage,
        functions,
        features: config.features,
        assets,
        outdir: outDir,
        ...(serviceSource ? { serviceSource } : {}),
        ownsOidcProvider: ownsOidcProvider(config, stage.name),
        ...(extensions ? { extensions } : {}),
      });
      if (extensions) warnAbsentKinds(extensions, stacks.map((s) => s.kind), stage.name, ctx);
      assembly = app.synth();
    } catch (error) {
      // Building stages code assets into the directory before any check can fail; a half-written
      // assembly (no manifest) would make the next synth refuse the directory, so it goes.
      await rm(outDir, { recursive: true, force: true });
      throw asPhaseError(error);
    }
    checkPhases(assembly);
    checkLambdaEnvironments(
      assembly.stacks.map((s) => ({ name: s.stackName, account: s.environment.account, region: s.environment.region, template: s.template as object })),
      functions,
      (fn) => functionName({ project: stage.project, stage: stage.name }, fn),
      shownFile,
    );
    checkStackLimits(assembly, stage.extensions);
    return { loaded, stage, outDir, phases: planFromAssembly(assembly) };
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
