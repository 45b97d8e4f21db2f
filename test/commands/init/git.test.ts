import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitInit } from '../../../src/commands/init/git.js';
import { TestIo } from '../../helpers/io.js';
import { useTempDirs } from '../../helpers/tmp.js';

describe('gitInit', () => {
  const tempDir = useTempDirs();

  it('warns and carries on when git is not installed', async () => {
    const io = new TestIo();
    expect(await gitInit(await tempDir(), io, 'spec3-no-such-git')).toBe('unavailable');
    expect(io.events).toEqual([
      expect.objectContaining({ code: 'INIT_GIT_UNAVAILABLE', level: 'warn', message: 'git not found; skipped git init. Run it yourself once git is installed.' }),
    ]);
  });

  it('makes no nested repository inside an existing work tree', async () => {
    const outer = await tempDir();
    await gitInit(outer, new TestIo());
    const inner = path.join(outer, 'service');
    await mkdir(inner);
    const io = new TestIo();
    expect(await gitInit(inner, io)).toBe('inside-repository');
    expect(io.codes()).toEqual(['INIT_GIT_SKIPPED']);
  });
});
