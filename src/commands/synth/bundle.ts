import { createHash, randomUUID } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../../context.js';
import { isPython, type FunctionConfig } from '../../config/schema.js';
import { Spec3Error } from '../../errors.js';

/** Files never shipped in a function bundle. */
const SKIP = new Set(['__pycache__', '.pytest_cache', '.mypy_cache', '.git', '.DS_Store', '.venv']);

export interface BundleOptions {
  readonly projectDir: string;
  readonly functions: readonly Pick<FunctionConfig, 'name' | 'runtime' | 'source' | 'requirements'>[];
  /** Where finished bundles are kept, keyed by a hash of their inputs. */
  readonly cacheDir: string;
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || entry.name.endsWith('.pyc')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full, base)));
    else if (entry.isFile()) out.push(path.relative(base, full));
  }
  return out.sort();
}

/**
 * Requirement lines that install something: comments, blanks and pip options (`--no-index`,
 * `--index-url` ...) install nothing by themselves; nested files and editables (`-r`, `-e`) do.
 */
export function requirementLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l.length > 0 && (!l.startsWith('-') || /^(-r|-e|--requirement|--editable)\b/.test(l)));
}

async function readRequirements(projectDir: string, fn: BundleOptions['functions'][number]): Promise<string> {
  if (!isPython(fn.runtime)) return '';
  try {
    return await readFile(path.resolve(projectDir, fn.requirements), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/**
 * Bundles function code without Docker, like `pip install -r requirements.txt -t <out> && cp -r src/* <out>`:
 * the source directory is copied and, for Python, requirements are installed as Lambda-compatible
 * wheels (manylinux x86_64, the runtime's CPython version) when the file lists anything. Bundles are cached by a
 * hash of their inputs, so an unchanged function is never rebuilt; functions sharing a source
 * directory share one bundle. Returns function name -> bundle directory.
 */
export async function bundleFunctions(
  options: BundleOptions,
  ctx: Pick<Context, 'io'>,
): Promise<Map<string, string>> {
  // Functions that share runtime, source and requirements share one bundle: hashed and built once.
  const byInputs = new Map<string, Promise<string>>();
  const result = new Map<string, string>();
  for (const fn of options.functions) {
    const inputs = [fn.runtime, path.resolve(options.projectDir, fn.source), isPython(fn.runtime) ? fn.requirements : ''].join('\0');
    let pending = byInputs.get(inputs);
    if (!pending) {
      pending = bundleOne(options, fn, ctx);
      byInputs.set(inputs, pending);
    }
    result.set(fn.name, await pending);
  }
  return result;
}

async function bundleOne(options: BundleOptions, fn: BundleOptions['functions'][number], ctx: Pick<Context, 'io'>): Promise<string> {
  const sourceDir = path.resolve(options.projectDir, fn.source);
  const files = await listFiles(sourceDir);
  const requirements = await readRequirements(options.projectDir, fn);
  const hash = createHash('sha256').update(`${fn.runtime}\0${requirementLines(requirements).join('\n')}\0`);
  for (const file of files) hash.update(file).update('\0').update(await readFile(path.join(sourceDir, file))).update('\0');
  return buildBundle(options, fn, sourceDir, files, requirements, hash.digest('hex').slice(0, 16), ctx);
}

async function buildBundle(
  options: BundleOptions,
  fn: BundleOptions['functions'][number],
  sourceDir: string,
  files: readonly string[],
  requirements: string,
  key: string,
  ctx: Pick<Context, 'io'>,
): Promise<string> {
  const target = path.join(options.cacheDir, key);
  if (await stat(target).then(() => true, () => false)) {
    ctx.io.emit({ code: 'BUNDLE_CACHED', level: 'debug', message: `Code of ${fn.name}: unchanged, bundle reused` });
    return target;
  }
  // Build beside the target and rename at the end: an interrupted build never leaves a bad bundle.
  const staging = `${target}.tmp-${randomUUID().slice(0, 8)}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    if (requirementLines(requirements).length > 0) {
      await pipInstall(path.resolve(options.projectDir, fn.requirements), fn.runtime, staging, options.projectDir, ctx);
    }
    for (const file of files) {
      await cp(path.join(sourceDir, file), path.join(staging, file), { force: true });
    }
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  ctx.io.emit({ code: 'BUNDLE_BUILT', level: 'info', message: `Bundled ${fn.source} (${fn.runtime})` });
  return target;
}

async function pipInstall(
  requirementsFile: string,
  runtime: string,
  outDir: string,
  cwd: string,
  ctx: Pick<Context, 'io'>,
): Promise<void> {
  const { execa } = await import('execa');
  ctx.io.emit({ code: 'BUNDLE_PIP', level: 'info', message: `Installing ${path.basename(requirementsFile)} with pip` });
  const args = [
    '-m', 'pip', 'install',
    '--requirement', requirementsFile,
    '--target', outDir,
    '--platform', 'manylinux2014_x86_64',
    '--implementation', 'cp',
    '--python-version', runtime.replace('python', ''),
    '--only-binary=:all:',
    '--disable-pip-version-check',
    '--no-input',
    '--quiet',
  ];
  const result = await execa('python3', args, { cwd, reject: false, all: true });
  if (result.failed) {
    const missing = (result as { code?: string }).code === 'ENOENT';
    throw new Spec3Error(
      'BUNDLE_FAILED',
      missing
        ? 'python3 is not installed; it is needed to install the Python requirements of the functions.'
        : `pip could not install ${requirementsFile}:\n${(result.all ?? '').split('\n').slice(-15).join('\n')}`,
      missing
        ? 'Install Python 3 (python3 on PATH), or empty the requirements file.'
        : 'Fix the requirement named above. Only packages with Lambda-compatible wheels (manylinux x86_64, the same Python version as the runtime) can be bundled without Docker.',
    );
  }
}
