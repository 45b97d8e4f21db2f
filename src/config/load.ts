import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
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

function closest(word: string, candidates: readonly string[]): string | undefined {
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

function valueAt(raw: unknown, segments: readonly PropertyKey[]): unknown {
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

/** Parses and validates a config text. `file` is only used in messages. */
export function parseConfig(text: string, file: string = CONFIG_FILE): Spec3Config {
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

/** Reads `spec3.config.json` from `cwd`, or the file `config` names (relative to `cwd`). */
export async function loadConfig(options: { readonly cwd: string; readonly config?: string }): Promise<LoadedConfig> {
  const file = path.resolve(options.cwd, options.config ?? CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      if (options.config !== undefined && path.resolve(options.cwd, options.config) !== path.resolve(options.cwd, CONFIG_FILE)) {
        throw new Spec3Error(
          'CONFIG_NOT_FOUND',
          `--config ${options.config}: no such file (looked for ${file}).`,
          'Fix the path given to --config (it is relative to the current directory), or leave it out to read spec3.config.json.',
        );
      }
      throw new Spec3Error(
        'CONFIG_NOT_FOUND',
        `No ${CONFIG_FILE} in ${path.dirname(file)}.`,
        'Run spec3 from your project directory, pass --config <file>, or create a project with `spec3 init`.',
      );
    }
    throw error;
  }
  const name = shownPath(options.cwd, file);
  return { config: parseConfig(text, name), file, dir: path.dirname(file), name };
}

/** A project file as messages name it: relative to the working directory when it is below it. */
export function shownPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') ? file : relative;
}
