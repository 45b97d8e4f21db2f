import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as init } from '../../src/commands/init/index.js';
import { run as list } from '../../src/commands/list/index.js';
import { TestIo } from '../helpers/io.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs();

describe('init --extend', () => {
  it('writes a commented spec3.extend.ts that spec3 loads as-is, and whose commented example works once uncommented', async () => {
    const cwd = await tempDir();
    const result = await init({ dir: 'shop', git: false, extend: true }, { cwd, io: new TestIo() });
    expect(result.files).toContain('spec3.extend.ts');
    const file = path.join(result.dir, 'spec3.extend.ts');
    const source = await readFile(file, 'utf8');
    expect(source).toMatch(/^\/\*\*\n \* Extensions of shop:/);
    expect(source).toContain("import { defineExtensions } from 'spec3/extend';");

    const io = new TestIo();
    await list({ stage: 'dev' }, { cwd: result.dir, io });
    expect(io.codes().filter((c) => c.startsWith('EXTENSION'))).toEqual([]);

    // Uncommenting the examples gives a working extension: the audit table appears in storage.
    // Code lines only: the prose lines start with a capital letter or "...".
    const live = source.replace(/^ {2}\/\/ (?![A-Z.])/gm, '  ').replace("// import { RemovalPolicy", 'import { RemovalPolicy');
    await writeFile(file, live);
    const planned = await list({ stage: 'dev' }, { cwd: result.dir, io: new TestIo() });
    const storage = planned.phases.flatMap((p) => p.stacks).find((s) => s.name === 'shop-dev-storage')!;
    const withoutExtension = await (async () => {
      await writeFile(file, source);
      return (await list({ stage: 'dev' }, { cwd: result.dir, io: new TestIo() })).phases.flatMap((p) => p.stacks).find((s) => s.name === 'shop-dev-storage')!;
    })();
    expect(storage.resources).toBeGreaterThan(withoutExtension.resources);
  });

  it('writes no extension file without --extend', async () => {
    const cwd = await tempDir();
    const result = await init({ dir: 'shop', git: false }, { cwd, io: new TestIo() });
    expect(existsSync(path.join(result.dir, 'spec3.extend.ts'))).toBe(false);
  });
});
