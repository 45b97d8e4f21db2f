import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import jsonc from 'jsonc-parser';
import type { z } from 'zod';
import type { IoHost } from '../context.js';
import { Spec3Error } from '../errors.js';
import { configSchema, type Spec3Config } from './schema.js';
import { checkConfigRules } from './rules.js';

export const CONFIG_FILE = 'spec3.config.json';

export interface LoadedConfig {
  readonly config: Spec3Config;
  /** Absolute path of the config file; function sources resolve against its directory. */
  readonly file: string;
  readonly dir: string;
  /** The file as messages name it: relative to the working directory when it is below it. */
  readonly name: string;
}

/** Renders a JSON path the way a person reads it: `stages.dev.account`, `functions[0].name`. */
export function jsonPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out || '(top level)';
}

/** The candidate nearest to `word` by edit distance, when it is near enough to be a typo of it. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const tmp = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = tmp;
      }
    }
    return row[b.length]!;
  };
  const best = candidates
    .map((c) => ({ c, d: distance(word.toLowerCase(), c.toLowerCase()) }))
    .sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.c : undefined;
}

type Def = Record<string, unknown> & { type?: string };
const defOf = (schema: z.ZodType): Def => (schema as unknown as { def: Def }).def;

/** The schema without optional/default wrappers; a union narrowed to the option `value` matches by its discriminator. */
function unwrap(schema: z.ZodType, value: unknown): Def {
  let d = defOf(schema);
  while ((d.type === 'optional' || d.type === 'default') && d.innerType) d = defOf(d.innerType as z.ZodType);
  if (d.type === 'union' && typeof d.discriminator === 'string' && value !== null && typeof value === 'object') {
    const tag = (value as Record<string, unknown>)[d.discriminator];
    const option = (d.options as z.ZodType[]).find((o) => {
      const field = (defOf(o).shape as Record<string, z.ZodType> | undefined)?.[d.discriminator as string];
      return field !== undefined && (defOf(field).values as unknown[] | undefined)?.includes(tag);
    });
    if (option) return unwrap(option, value);
  }
  return d;
}

function knownKeys(issuePath: readonly PropertyKey[], raw: unknown): string[] {
  // Walk the schema along the issue's path to list the keys allowed where the unknown key was found.
  let schema: z.ZodType = configSchema;
  for (const [i, seg] of issuePath.entries()) {
    const d = unwrap(schema, valueAt(raw, issuePath.slice(0, i)));
    if (d.type === 'object') schema = (d.shape as Record<string, z.ZodType>)[String(seg)]!;
    else if (d.type === 'record') schema = d.valueType as z.ZodType;
    else if (d.type === 'array') schema = d.element as z.ZodType;
    else return [];
    if (!schema) return [];
  }
  const d = unwrap(schema, valueAt(raw, issuePath));
  return d.type === 'object' ? Object.keys(d.shape as object) : [];
}

/** A JSON value's kind as the person editing the file would name it. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return `${typeof value === 'number' ? 'the number' : ''} ${JSON.stringify(value)}`.trim();
}

const JSON_KINDS: Readonly<Record<string, string>> = {
  object: 'an object { ... }',
  record: 'an object { ... }',
  array: 'a list [ ... ]',
  string: 'a string in double quotes',
  number: 'a number',
  boolean: 'true or false',
};

/** The value at a JSON path, or undefined where the path leads nowhere. */
export function valueAt(raw: unknown, segments: readonly PropertyKey[]): unknown {
  let node = raw;
  for (const seg of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[seg];
  }
  return node;
}

/** One line per problem: file, JSON path, what was expected, and (where it helps) the fix. */
export function formatIssues(file: string, issues: readonly z.core.$ZodIssue[], raw: unknown): string[] {
  return issues.map((issue) => {
    const where = `${file}: ${jsonPath(issue.path)}`;
    if (issue.code === 'unrecognized_keys') {
      const allowed = knownKeys(issue.path, raw);
      return issue.keys
        .map((key) => {
          const guess = closest(key, allowed);
          const fix = guess ? `did you mean "${guess}"?` : `allowed here: ${allowed.join(', ')}`;
          return `${file}: ${jsonPath([...issue.path, key])}: unknown field; ${fix}`;
        })
        .join('\n');
    }
    if (issue.code === 'invalid_key') {
      // A record key (a stage name) broke its pattern; the key's own issue says what was expected.
      return `${where}: invalid name; ${issue.issues[0]?.message ?? issue.message}`;
    }
    if (issue.code === 'invalid_type') {
      const value = valueAt(raw, issue.path);
      // zod's own wording ("Invalid input: expected record, received object") names its types, not JSON's.
      const expected = issue.message.startsWith('Invalid input') ? `expected ${JSON_KINDS[issue.expected] ?? issue.expected}` : issue.message;
      return value === undefined ? `${where}: missing; ${expected}` : `${where}: ${expected}; got ${kindOf(value)}`;
    }
    return `${where}: ${issue.message}`;
  });
}

interface KeyAt {
  readonly line: number;
  readonly column: number;
}

/**
 * Keys given twice in one object: JSON.parse silently keeps the last, so a second `account` in a
 * stage, or a second `dev`, would replace the first unseen. jsonc-parser's visitor reports each
 * property with its position; `text` is already known to be valid JSON.
 */
function duplicateKeys(text: string): { path: string; key: string; first: KeyAt; again: KeyAt }[] {
  const found: { path: string; key: string; first: KeyAt; again: KeyAt }[] = [];
  const open: Map<string, KeyAt>[] = [];
  jsonc.visit(text, {
    onObjectBegin: () => void open.push(new Map()),
    onObjectEnd: () => void open.pop(),
    onObjectProperty: (key, _offset, _length, line, character, pathOf) => {
      const keys = open[open.length - 1]!;
      const at = { line: line + 1, column: character + 1 };
      const first = keys.get(key);
      if (first) found.push({ path: jsonPath([...pathOf(), key]), key, first, again: at });
      else keys.set(key, at);
    },
  });
  return found;
}

/** Parses and validates a config text. `file` is only used in messages. */
export function parseConfig(input: string, file: string = CONFIG_FILE): Spec3Config {
  // Editors on Windows may save UTF-8 with a byte order mark; it is not part of the JSON.
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message;
    const pos = /position (\d+)/.exec(detail);
    let where = '';
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split('\n').length;
      const column = Number(pos[1]) - before.lastIndexOf('\n');
      where = ` at line ${line}, column ${column}`;
    }
    throw new Spec3Error(
      'CONFIG_INVALID_JSON',
      `${file}: not valid JSON${where}: ${detail}`,
      'Fix the JSON syntax (no comments or trailing commas), or run `spec3 init` to write a fresh config.',
    );
  }
  const duplicates = duplicateKeys(text);
  if (duplicates.length > 0) {
    const lines = duplicates.map(
      (d) => `${file}: ${d.path}: given twice, at line ${d.first.line}, column ${d.first.column} and at line ${d.again.line}, column ${d.again.column}`,
    );
    throw new Spec3Error(
      'CONFIG_DUPLICATE_KEY',
      lines.length === 1 ? lines[0]! : `${file} has ${lines.length} keys given twice:\n  ${lines.join('\n  ')}`,
      `Keep one of each: JSON would silently use only the last one. Remove or merge the repeated ${duplicates.map((d) => `"${d.key}"`).join(', ')} in ${file}.`,
    );
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = formatIssues(file, parsed.error.issues, raw);
    throw new Spec3Error(
      'CONFIG_INVALID',
      lines.length === 1 ? lines[0]! : `${file} has ${lines.length} problems:\n  ${lines.join('\n  ')}`,
      `Fix the field${lines.length === 1 ? '' : 's'} above; the JSON Schema referenced by "$schema" gives completion in editors.`,
    );
  }
  checkConfigRules(parsed.data, file);
  return parsed.data;
}

/** A config is a few kilobytes; anything this large is not one (and is not read into memory). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** The nearest `spec3.config.json` in `dir` or a directory above it (as git finds `.git`), or undefined. */
async function findUpwards(dir: string): Promise<string | undefined> {
  for (let at = dir; ; at = path.dirname(at)) {
    const candidate = path.join(at, CONFIG_FILE);
    // Any entry of that name is the config: one that is not a regular file is refused by name when read.
    if (await stat(candidate).then(() => true, () => false)) return candidate;
    if (path.dirname(at) === at) return undefined;
  }
}

/**
 * Reads the config: the file `config` names (relative to `cwd`), or else the nearest
 * `spec3.config.json` in `cwd` or a directory above it, so spec3 works from any subdirectory of
 * the project. A file found above `cwd` is named in an info line (CONFIG_FILE).
 */
export async function loadConfig(options: {
  readonly cwd: string;
  readonly config?: string;
  readonly io?: Pick<IoHost, 'emit'>;
}): Promise<LoadedConfig> {
  const found = options.config === undefined ? await findUpwards(options.cwd) : undefined;
  if (options.config === undefined && !found) {
    throw new Spec3Error(
      'CONFIG_NOT_FOUND',
      `No ${CONFIG_FILE} in ${options.cwd} or any directory above it.`,
      'Run spec3 from your project directory, pass --config <file>, or create a project with `spec3 init`.',
    );
  }
  const file = found ?? path.resolve(options.cwd, options.config!);
  const name = shownPath(options.cwd, file);
  const text = await readConfigText(file, name, options);
  if (found && path.dirname(found) !== path.resolve(options.cwd)) {
    options.io?.emit({ code: 'CONFIG_FILE', level: 'info', message: `Using ${file}`, data: { file } });
  }
  return { config: parseConfig(text, name), file, dir: path.dirname(file), name };
}

/**
 * The config file's text. Looked at before it is read: a directory, a FIFO (which would block
 * the read for ever), a device such as /dev/zero (which never ends) or a huge file are refused
 * by name, as is a file that cannot be read.
 */
async function readConfigText(file: string, name: string, options: { readonly cwd: string; readonly config?: string }): Promise<string> {
  const flag = options.config !== undefined;
  const given = flag ? `--config ${options.config}` : name;
  const fix = flag ? "Pass --config the path of the project's spec3.config.json" : 'Run spec3 from your project directory, or pass --config <file>';
  try {
    const info = await stat(file);
    if (info.isDirectory()) {
      throw new Spec3Error('CONFIG_NOT_A_FILE', `${given}: ${file} is a directory, not a config file.`, `${fix} (e.g. --config ${path.join(name, CONFIG_FILE)}).`);
    }
    if (!info.isFile()) {
      throw new Spec3Error(
        'CONFIG_NOT_A_FILE',
        `${given}: ${file} is not a regular file (a pipe, socket or device), so it is not read.`,
        `${fix}; spec3 reads the config from a regular file.`,
      );
    }
    if (info.size > MAX_CONFIG_BYTES) {
      throw new Spec3Error(
        'CONFIG_TOO_LARGE',
        `${given}: ${file} is ${(info.size / 1024 / 1024).toFixed(1)} MB; a spec3 config is at most 1 MB, so this is not one.`,
        `${fix}; \`spec3 init\` writes a fresh config.`,
      );
    }
    const text = await readFile(file, 'utf8');
    // Grown between the look and the read (or a file whose size the file system does not know).
    if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) {
      throw new Spec3Error('CONFIG_TOO_LARGE', `${given}: ${file} is larger than 1 MB; a spec3 config is at most 1 MB, so this is not one.`, `${fix}.`);
    }
    return text;
  } catch (error) {
    if (error instanceof Spec3Error) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new Spec3Error(
        'CONFIG_NOT_FOUND',
        `${given}: no such file (looked for ${file}).`,
        flag
          ? 'Fix the path given to --config (it is relative to the current directory), or leave it out to use the nearest spec3.config.json.'
          : `${fix}.`,
      );
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new Spec3Error(
        'CONFIG_UNREADABLE',
        `${given}: ${file} cannot be read: permission denied.`,
        `Give your user read access, e.g. \`chmod u+r ${file}\`, or run spec3 as the file's owner.`,
        { cause: error },
      );
    }
    throw new Spec3Error(
      'CONFIG_UNREADABLE',
      `${given}: ${file} cannot be read: ${(error as Error).message}`,
      `${fix}.`,
      { cause: error },
    );
  }
}

/** A project file as messages name it: relative to the working directory when it is below it. */
export function shownPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') ? file : relative;
}
