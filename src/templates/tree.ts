import { readdir, readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Spec3Error } from '../errors.js';
import type { TemplateFile, TemplateTree } from './plan.js';

/** Leftovers of running a template's own tests in place; never part of a project. */
const IGNORED = new Set(['__pycache__', 'node_modules', '.DS_Store']);

/**
 * The root of the spec3 package: the first directory above this module holding `templates/base`
 * and a package.json named spec3. Walking up (instead of a fixed `../..`) works from `src/` under
 * vitest and from whichever `dist/` chunk the bundler put this code in.
 */
export function findPackageRoot(from: string | URL = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(path.join(dir, 'templates', 'base')) && isSpec3Package(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Spec3Error(
        'TEMPLATE_MISSING',
        `Cannot find spec3's templates/ folder above ${path.dirname(fileURLToPath(from))}.`,
        'Reinstall spec3: its package is incomplete.',
      );
    }
    dir = parent;
  }
}

function isSpec3Package(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'spec3';
  } catch {
    return false; // no or unreadable package.json: not the package root, keep walking
  }
}

/** The version of the spec3 package at `root`, as its package.json states it. */
export function packageVersion(root: string): string {
  return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

async function readOverlay(dir: string, prefix = ''): Promise<TemplateFile[]> {
  const files: TemplateFile[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (IGNORED.has(entry.name) || entry.name.endsWith('.pyc')) continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await readOverlay(path.join(dir, entry.name), rel)));
    else if (entry.isFile()) files.push({ path: rel, content: await readFile(path.join(dir, entry.name), 'utf8') });
  }
  return files;
}

/** Reads every overlay under `<root>/templates` (all text, a few dozen small files). */
export async function readTemplateTree(root: string = findPackageRoot()): Promise<TemplateTree> {
  const templates = path.join(root, 'templates');
  const tree: Record<string, TemplateFile[]> = {};
  for (const entry of await readdir(templates, { withFileTypes: true })) {
    if (entry.isDirectory()) tree[entry.name] = await readOverlay(path.join(templates, entry.name));
  }
  return tree;
}
