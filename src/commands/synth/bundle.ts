import { createHash, randomUUID } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { deflateRaw } from 'node:zlib';
import picomatch from 'picomatch';
import type { Context } from '../../context.js';
import { isPython, type FunctionConfig } from '../../config/schema.js';
import { Spec3Error } from '../../errors.js';

/**
 * Left out of every bundle, wherever they are in the source: dotfiles and dot-directories (`.env`,
 * `.git`, `.spec3`, `.aws`, `.ssh`, `.venv` ...), `cdk.out`, Python caches. The project root's
 * `node_modules` (the project's own tooling) is left out too; a `node_modules` inside a source
 * directory belongs to that source and ships. README "Bundling" lists the same.
 */
export const DEFAULT_EXCLUDES = ['.*', 'cdk.out', '__pycache__', '*.pyc', '<project>/node_modules'] as const;

/** Lambda's deployment package quotas (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
export const LAMBDA_LIMITS = { zippedBytes: 50 * 1024 * 1024, unzippedBytes: 250 * 1024 * 1024 } as const;

export interface BundleLimits {
  readonly zippedBytes: number;
  readonly unzippedBytes: number;
}

export interface BundleOptions {
  readonly projectDir: string;
  readonly functions: readonly Pick<FunctionConfig, 'name' | 'runtime' | 'source' | 'requirements' | 'exclude'>[];
  /** Where finished bundles are kept, keyed by a hash of exactly what they ship. */
  readonly cacheDir: string;
  /** Size limits a bundle must stay within; Lambda's by default. */
  readonly limits?: BundleLimits;
}

/** How big a bundle is: what Lambda counts against its limits. */
export interface BundleSize {
  readonly files: number;
  readonly bytes: number;
  /** The size of the bundle as a deflate zip archive (what the asset upload sends). */
  readonly zippedBytes: number;
}

/** One file that ships: where it goes in the bundle and the real file it is read from. */
interface ShippedFile {
  readonly path: string;
  readonly from: string;
}

interface Walk {
  readonly projectRoot: string;
  readonly rootNodeModules: string;
  readonly excluded: (relative: string) => boolean;
  readonly fn: BundleOptions['functions'][number];
}

const isDefaultExcluded = (name: string): boolean =>
  name.startsWith('.') || name === 'cdk.out' || name === '__pycache__' || name.endsWith('.pyc');

const inside = (root: string, p: string): boolean => p === root || p.startsWith(`${root}${path.sep}`);

/**
 * The files a function ships, relative to its source directory, sorted. Symlinks are followed when
 * they lead to a file or directory inside the project; a link that leads outside it, or to
 * something the bundle leaves out (a `.env`, say), is refused by name rather than shipped or
 * silently dropped.
 */
async function listFiles(walk: Walk, dir: string, relative: string, ancestors: ReadonlySet<string>): Promise<ShippedFile[]> {
  const out: ShippedFile[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = relative ? `${relative}/${entry.name}` : entry.name;
    if (isDefaultExcluded(entry.name) || walk.excluded(rel)) continue;
    const full = path.join(dir, entry.name);
    let real = full;
    if (entry.isSymbolicLink()) real = await followLink(walk, full, rel);
    else if (!entry.isDirectory() && !entry.isFile()) continue;
    const kind = entry.isSymbolicLink() ? await stat(real) : entry;
    if (kind.isDirectory()) {
      const realDir = await realpath(real);
      if (realDir === walk.rootNodeModules) continue;
      if (ancestors.has(realDir)) {
        throw new Spec3Error(
          'BUNDLE_SYMLINK_LOOP',
          `Function "${walk.fn.name}": ${path.join(walk.fn.source, rel)} links back to a directory that contains it; the bundle would never end.`,
          `Remove the link (\`rm ${path.join(walk.fn.source, rel)}\`) or add "${rel}" to the function's "exclude" list.`,
        );
      }
      out.push(...(await listFiles(walk, real, rel, new Set([...ancestors, realDir]))));
    } else if (kind.isFile()) {
      out.push({ path: rel, from: real });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function followLink(walk: Walk, link: string, rel: string): Promise<string> {
  const shown = path.join(walk.fn.source, rel);
  let target: string;
  try {
    target = await realpath(link);
  } catch (error) {
    throw new Spec3Error(
      'BUNDLE_SYMLINK_BROKEN',
      `Function "${walk.fn.name}": symlink ${shown} leads to nothing (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}).`,
      `Remove the link (\`rm ${shown}\`) or add "${rel}" to the function's "exclude" list.`,
    );
  }
  if (!inside(walk.projectRoot, target)) {
    throw new Spec3Error(
      'BUNDLE_SYMLINK_OUTSIDE',
      `Function "${walk.fn.name}": symlink ${shown} leads outside the project, to ${target}; spec3 ships only files of the project.`,
      `Copy what the function needs into its source directory, or add "${rel}" to the function's "exclude" list.`,
    );
  }
  const parts = path.relative(walk.projectRoot, target).split(path.sep);
  if (parts.some(isDefaultExcluded) || inside(walk.rootNodeModules, target)) {
    throw new Spec3Error(
      'BUNDLE_SYMLINK_EXCLUDED',
      `Function "${walk.fn.name}": symlink ${shown} leads to ${path.relative(walk.projectRoot, target)}, which bundles always leave out (dotfiles, .spec3, cdk.out, the project's node_modules).`,
      `Remove the link (\`rm ${shown}\`) or add "${rel}" to the function's "exclude" list.`,
    );
  }
  return target;
}

/** The function's `exclude` patterns as one test; a pattern without a slash matches a name at any depth. */
function excludeMatcher(patterns: readonly string[]): (relative: string) => boolean {
  if (patterns.length === 0) return () => false;
  return picomatch(patterns.map((p) => p.replace(/\/+$/, '')), { dot: true, basename: true });
}

async function shippedFiles(projectDir: string, fn: BundleOptions['functions'][number]): Promise<{ sourceDir: string; files: ShippedFile[] }> {
  const projectRoot = await realpath(projectDir);
  const sourceDir = await realpath(path.resolve(projectDir, fn.source));
  const walk: Walk = { projectRoot, rootNodeModules: path.join(projectRoot, 'node_modules'), excluded: excludeMatcher(fn.exclude ?? []), fn };
  return { sourceDir, files: await listFiles(walk, sourceDir, '', new Set([sourceDir])) };
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
  const { files } = await shippedFiles(options.projectDir, fn);
  const requirements = await readRequirements(options.projectDir, fn);
  // The key covers exactly what ships: the runtime, what pip installs, and each file's path and bytes.
  const hash = createHash('sha256').update(`${fn.runtime}\0${requirementLines(requirements).join('\n')}\0`);
  for (const file of files) hash.update(file.path).update('\0').update(await readFile(file.from)).update('\0');
  return buildBundle(options, fn, files, requirements, hash.digest('hex').slice(0, 16), ctx);
}

async function buildBundle(
  options: BundleOptions,
  fn: BundleOptions['functions'][number],
  files: readonly ShippedFile[],
  requirements: string,
  key: string,
  ctx: Pick<Context, 'io'>,
): Promise<string> {
  const target = path.join(options.cacheDir, key);
  const sizeFile = `${target}.size.json`;
  if (await stat(target).then(() => true, () => false)) {
    const size = await readFile(sizeFile, 'utf8').then((t) => JSON.parse(t) as BundleSize, async () => measure(target));
    ctx.io.emit({
      code: 'BUNDLE_CACHED',
      level: 'info',
      message: `Code of ${fn.source} (${fn.runtime}): unchanged, bundle ${key} reused (${describeSize(size)})`,
      data: { function: fn.name, key, size },
    });
    return target;
  }
  // Build beside the target and rename at the end: an interrupted build never leaves a bad bundle.
  const staging = `${target}.tmp-${randomUUID().slice(0, 8)}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  let size: BundleSize;
  try {
    if (requirementLines(requirements).length > 0) {
      await pipInstall(path.resolve(options.projectDir, fn.requirements), fn.runtime, staging, options.projectDir, ctx);
    }
    for (const file of files) {
      await mkdir(path.dirname(path.join(staging, file.path)), { recursive: true });
      await copyFile(file.from, path.join(staging, file.path));
    }
    size = await measure(staging);
    assertWithinLimits(fn, size, options.limits ?? LAMBDA_LIMITS);
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
    await writeFile(sizeFile, JSON.stringify(size));
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  ctx.io.emit({
    code: 'BUNDLE_BUILT',
    level: 'info',
    message: `Bundled ${fn.source} (${fn.runtime}) as ${key}: ${describeSize(size)}`,
    data: { function: fn.name, key, size },
  });
  return target;
}

const deflate = promisify(deflateRaw);
// A zip archive's local header (30) and central directory entry (46) per file, each with the name.
const ZIP_ENTRY_OVERHEAD = 76;
const ZIP_END_RECORD = 22;

/** Files, bytes and deflate-zipped bytes of a built bundle directory (pip's output included). */
export async function measure(dir: string): Promise<BundleSize> {
  let files = 0;
  let bytes = 0;
  let zippedBytes = ZIP_END_RECORD;
  const visit = async (d: string, rel: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        await visit(path.join(d, entry.name), name);
        continue;
      }
      const content = await readFile(path.join(d, entry.name));
      files += 1;
      bytes += content.length;
      const packed = (await deflate(content)).length;
      // zip stores a file as it is when deflate would make it bigger.
      zippedBytes += Math.min(packed, content.length) + ZIP_ENTRY_OVERHEAD + 2 * Buffer.byteLength(name);
    }
  };
  await visit(dir, '');
  return { files, bytes, zippedBytes };
}

function assertWithinLimits(fn: BundleOptions['functions'][number], size: BundleSize, limits: BundleLimits): void {
  const over =
    size.bytes > limits.unzippedBytes
      ? `${formatBytes(size.bytes)} unzipped, over Lambda's limit of ${formatBytes(limits.unzippedBytes)} unzipped`
      : size.zippedBytes > limits.zippedBytes
        ? `${formatBytes(size.zippedBytes)} zipped, over Lambda's limit of ${formatBytes(limits.zippedBytes)} zipped`
        : undefined;
  if (!over) return;
  throw new Spec3Error(
    'BUNDLE_TOO_LARGE',
    `Function "${fn.name}": the bundle of ${fn.source} is ${over} (${size.files} files).`,
    `Leave out what the function does not need with an "exclude" list on the function in spec3.config.json (e.g. "exclude": ["tests", "*.csv"]), and synthesize again.`,
  );
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const describeSize = (size: BundleSize): string =>
  `${size.files} file(s), ${formatBytes(size.bytes)}, ${formatBytes(size.zippedBytes)} zipped`;

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
