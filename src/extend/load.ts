import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire, SourceMap } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Spec3Error } from '../errors.js';
import { STACK_PHASES, type StackKind } from '../stack/phases.js';
import type { Extensions } from './define.js';

/** The names spec3 looks for beside its config, in this order. */
export const EXTENSION_FILES = ['spec3.extend.ts', 'spec3.extend.mts', 'spec3.extend.mjs', 'spec3.extend.js'] as const;

export interface LoadedExtensions {
  /** Absolute path of the extension file. */
  readonly file: string;
  /** The file as messages name it (relative to the working directory when below it). */
  readonly name: string;
  readonly hooks: Extensions;
  /** Where in the extension file an error was raised: `name:line:column`, or undefined when not in it. */
  where(error: unknown): string | undefined;
}

const STACK_KINDS = Object.keys(STACK_PHASES) as StackKind[];

/** The extension file beside the config, if the project has one (more than one is refused). */
export function findExtensionFile(configDir: string): string | undefined {
  const found = EXTENSION_FILES.map((f) => path.join(configDir, f)).filter((f) => existsSync(f));
  if (found.length > 1) {
    throw new Spec3Error(
      'EXTENSION_FILE_AMBIGUOUS',
      `Found more than one extension file: ${found.map((f) => path.basename(f)).join(', ')}.`,
      `Keep one of them and remove the others: rm ${found.slice(1).map((f) => path.basename(f)).join(' ')}`,
    );
  }
  return found[0];
}

/** spec3's own package directory, found from this module (src/ in development, dist/ when built). */
function spec3Root(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('spec3 package.json not found above its own code');
    dir = up;
  }
  return dir;
}

/** The source of `spec3/extend` that extension bundles inline: the built module, or src/ in development. */
function extendModule(root: string): string {
  const built = path.join(root, 'dist', 'extend', 'index.js');
  const here = fileURLToPath(import.meta.url);
  return here.startsWith(path.join(root, 'dist') + path.sep) || !existsSync(path.join(root, 'src')) ? built : path.join(root, 'src', 'extend', 'index.ts');
}

/** Packages that must be spec3's own copy: two copies of constructs cannot form one tree. */
const SHARED = /^(aws-cdk-lib|constructs)(\/.*)?$/;

/**
 * Bundles the extension file with esbuild (TypeScript needs no build step of the project's own),
 * resolving `spec3/extend`, aws-cdk-lib and constructs to spec3's own, then imports the bundle
 * from a temporary file and checks what it exports.
 */
export async function loadExtensions(file: string, name: string): Promise<LoadedExtensions> {
  const { build } = await import('esbuild');
  const root = spec3Root();
  const require = createRequire(path.join(root, 'package.json'));
  let output: { code: string; map: string };
  try {
    const result = await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'external',
      sourcesContent: false,
      outfile: path.join(path.dirname(file), '.spec3-extend.mjs'),
      logLevel: 'silent',
      plugins: [
        {
          name: 'spec3-shared',
          setup(b) {
            b.onResolve({ filter: /^spec3\/extend$/ }, () => ({ path: extendModule(root) }));
            b.onResolve({ filter: SHARED }, (args) => ({ path: require.resolve(args.path), external: true }));
          },
        },
      ],
    });
    const code = result.outputFiles.find((f) => f.path.endsWith('.mjs'))!.text;
    const map = result.outputFiles.find((f) => f.path.endsWith('.map'))!.text;
    output = { code, map };
  } catch (error) {
    throw syntaxError(error, name);
  }

  const dir = await mkdtemp(path.join(os.tmpdir(), 'spec3-extend-'));
  const bundle = path.join(dir, 'spec3.extend.mjs');
  const sourceMap = new SourceMap(JSON.parse(output.map) as ConstructorParameters<typeof SourceMap>[0]);
  const where = (error: unknown) => locate(error, bundle, sourceMap, name);
  let exported: unknown;
  try {
    await writeFile(bundle, output.code);
    exported = ((await import(pathToFileURL(bundle).href)) as { default?: unknown }).default;
  } catch (error) {
    const at = where(error);
    throw new Spec3Error(
      'EXTENSION_LOAD_FAILED',
      `${at ?? name}: loading the extension file failed: ${messageOf(error)}`,
      `Fix ${at ?? name} and run the command again.`,
      { cause: error },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const hooks = await checkExport(exported, file, name);
  return { file, name, hooks, where };
}

/** The default export must be an object of hooks named after stack kinds. */
async function checkExport(exported: unknown, file: string, name: string): Promise<Extensions> {
  if (!exported || typeof exported !== 'object') {
    throw new Spec3Error(
      'EXTENSION_NO_DEFAULT_EXPORT',
      `${name} has no default export of extensions.`,
      `Make ${name} end with: export default defineExtensions({ ... }) (import { defineExtensions } from 'spec3/extend').`,
    );
  }
  const source = await readFile(file, 'utf8');
  for (const [key, hook] of Object.entries(exported)) {
    const line = lineOf(source, key);
    const at = line ? `${name}:${line}` : name;
    if (!(STACK_KINDS as string[]).includes(key)) {
      throw new Spec3Error(
        'EXTENSION_UNKNOWN_KIND',
        `${at}: "${key}" is not a stack kind, so no stack would run this hook. Stack kinds: ${STACK_KINDS.join(', ')}.`,
        `Rename the hook in ${name} to one of the stack kinds.`,
      );
    }
    if (typeof hook !== 'function') {
      throw new Spec3Error('EXTENSION_NOT_A_HOOK', `${at}: "${key}" must be a function (the hook of the ${key} stack).`, `Write it as ${key}({ stack, resources }) { ... } in ${name}.`);
    }
  }
  return exported as Extensions;
}

/** First line of the source where `key` is written as a property or method name. */
function lineOf(source: string, key: string): number | undefined {
  const at = new RegExp(`(^|[\\s{,])['"]?${key.replace(/[^\w$]/g, '\\$&')}['"]?\\s*[(:]`, 'm').exec(source);
  return at ? source.slice(0, at.index + at[1]!.length).split('\n').length : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface EsbuildMessage {
  readonly text: string;
  readonly location: { readonly file: string; readonly line: number; readonly column: number } | null;
}

function syntaxError(error: unknown, name: string): Spec3Error {
  const first = (error as { errors?: EsbuildMessage[] }).errors?.[0];
  if (!first) return new Spec3Error('EXTENSION_BUILD_FAILED', `${name}: could not be bundled: ${messageOf(error)}`, `Fix ${name} and run the command again.`, { cause: error });
  const loc = first.location;
  // esbuild counts columns from 0; editors and compilers from 1.
  const at = loc ? `${path.resolve(loc.file) === path.resolve(name) || loc.file.endsWith(path.basename(name)) ? name : loc.file}:${loc.line}:${loc.column + 1}` : name;
  return new Spec3Error('EXTENSION_SYNTAX', `${at}: ${first.text}`, `Fix ${at} and run the command again.`, { cause: error });
}

const FRAME = /\(?((?:file:\/\/)?\/[^()\s]*?):(\d+):(\d+)\)?\s*$/;

/** The first stack frame of `error` inside the bundle, mapped back to the extension file. */
function locate(error: unknown, bundle: string, map: SourceMap, name: string): string | undefined {
  const stack = error instanceof Error ? error.stack : undefined;
  if (!stack) return undefined;
  for (const line of stack.split('\n')) {
    const m = FRAME.exec(line);
    if (!m) continue;
    const frameFile = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
    if (frameFile !== bundle) continue;
    const entry = map.findEntry(Number(m[2]) - 1, Number(m[3]) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (entry.originalLine === undefined || !entry.originalSource) continue;
    // Sources are relative to the extension file's directory; frames inside spec3/extend or a
    // bundled dependency are not the project's own line.
    const source = entry.originalSource.replace(/^file:\/\//, '');
    if (source.startsWith('..') || source.startsWith('/') || source.includes('node_modules')) continue;
    return `${path.join(path.dirname(name), source)}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
  }
  return undefined;
}
