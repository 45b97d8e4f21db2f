import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findPackageRoot, packageVersion, readTemplateTree } from '../../src/templates/tree.js';
import { VERSION } from '../../src/cli/version.js';
import { useTempDirs } from '../helpers/tmp.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

describe('findPackageRoot', () => {
  const tempDir = useTempDirs();

  it('finds the repository from src/ (as under vitest)', () => {
    expect(findPackageRoot()).toBe(path.resolve(REPO));
    expect(packageVersion(findPackageRoot())).toBe(VERSION);
  });

  it('finds the package from a bundled chunk, past a package.json of another name', async () => {
    const pkg = await tempDir();
    await mkdir(path.join(pkg, 'templates', 'base'), { recursive: true });
    await mkdir(path.join(pkg, 'dist', 'cli'), { recursive: true });
    await writeFile(path.join(pkg, 'package.json'), '{"name":"spec3","version":"9.9.9"}');
    // A stray package.json between the chunk and the root (e.g. a "type" marker) is not the root.
    await writeFile(path.join(pkg, 'dist', 'package.json'), '{"type":"module"}');
    await mkdir(path.join(pkg, 'dist', 'templates', 'base'), { recursive: true });
    const chunk = pathToFileURL(path.join(pkg, 'dist', 'cli', 'chunk-abc.js'));
    expect(findPackageRoot(chunk)).toBe(pkg);
    expect(packageVersion(pkg)).toBe('9.9.9');
  });

  it('fails with a named error when there is no spec3 package above', async () => {
    const dir = await tempDir();
    expect(() => findPackageRoot(pathToFileURL(path.join(dir, 'x.js')))).toThrow(/^Cannot find spec3's templates\/ folder above /);
  });
});

describe('readTemplateTree', () => {
  it('reads every overlay with paths relative to it, skipping bytecode caches', async () => {
    const tree = await readTemplateTree();
    expect(Object.keys(tree).sort()).toEqual(['base', 'extend', 'github', 'nodejs', 'python']);
    const base = tree.base!.map((f) => f.path).sort();
    expect(base).toEqual(['README.template.md', '_gitignore', 'package.template.json']);
    expect(tree.python!.map((f) => f.path)).toContain('src/__package__/handlers/api.py');
    expect(Object.values(tree).flat().filter((f) => /__pycache__|\.pyc$/.test(f.path))).toEqual([]);
  });
});
