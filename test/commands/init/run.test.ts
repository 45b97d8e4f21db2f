import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { run, type InitOptions } from '../../../src/commands/init/index.js';
import { Spec3Error } from '../../../src/errors.js';
import { TestIo } from '../../helpers/io.js';
import { useTempDirs } from '../../helpers/tmp.js';

const ALL_QUESTIONS = [
  'INIT_NAME',
  'INIT_RUNTIME',
  'INIT_STAGES',
  'INIT_ACCOUNT_DEV',
  'INIT_REGION_DEV',
  'INIT_ACCOUNT_STAGING',
  'INIT_REGION_STAGING',
  'INIT_ACCOUNT_PROD',
  'INIT_REGION_PROD',
  'INIT_API',
  'INIT_VPC',
  'INIT_GITHUB',
  'INIT_GIT',
];

/** Every file under `dir`, relative, with `/`: the whole observable state of a directory. */
async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort();
}

async function failure(promise: Promise<unknown>): Promise<Spec3Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Spec3Error);
  return error as Spec3Error;
}

describe('init run', () => {
  const tempDir = useTempDirs();
  const init = async (options: InitOptions, answers: Record<string, unknown> = {}) => {
    const cwd = await tempDir();
    const io = new TestIo({ INIT_GIT: false, ...answers });
    const result = await run({ dir: 'shop', ...options }, { cwd, io });
    return { cwd, io, result, dir: path.join(cwd, 'shop') };
  };

  it('asks every question in order when no flag answers any, each with a default its validation accepts', async () => {
    const { io, result } = await init({});
    expect(io.asked.map((q) => q.code)).toEqual(ALL_QUESTIONS);
    for (const q of io.asked) expect(q.validate?.(q.default as never), q.code).toBeUndefined();
    const name = io.asked[0]!;
    expect(name.default).toBe('shop');
    expect(result.project).toBe('shop');
    expect(result.stages).toEqual([
      { name: 'dev', account: '123456789012', region: 'us-east-1' },
      { name: 'staging', account: '123456789012', region: 'us-east-1' },
      { name: 'prod', account: '123456789012', region: 'us-east-1' },
    ]);
  });

  it('asks only what the flags leave open', async () => {
    const { io, result } = await init({
      name: 'orders',
      runtime: 'nodejs22.x',
      account: '111122223333',
      region: 'eu-west-2',
      github: 'acme/orders',
      git: false,
    });
    expect(io.asked.map((q) => q.code)).toEqual(['INIT_STAGES', 'INIT_API', 'INIT_VPC']);
    expect(result.stages.map((s) => `${s.name}:${s.account}:${s.region}`)).toEqual([
      'dev:111122223333:eu-west-2',
      'staging:111122223333:eu-west-2',
      'prod:111122223333:eu-west-2',
    ]);
  });

  it('uses the answers: stages in canonical order, each defaulting to the previous stage', async () => {
    const { io, dir } = await init(
      {},
      { INIT_NAME: 'orders', INIT_STAGES: ['prod', 'dev'], INIT_ACCOUNT_DEV: '111111111111', INIT_REGION_DEV: 'eu-west-1', INIT_API: 'none', INIT_VPC: false },
    );
    const prodAccount = io.asked.find((q) => q.code === 'INIT_ACCOUNT_PROD')!;
    expect(prodAccount.default).toBe('111111111111');
    const { config } = await loadConfig({ cwd: dir });
    expect(Object.keys(config.stages)).toEqual(['dev', 'prod']);
    expect(config.stages.prod).toEqual({ account: '111111111111', region: 'eu-west-1' });
    expect(config.features).toEqual({ vpc: false });
    expect(config.functions.map((f) => f.name)).not.toContain('api');
  });

  it('writes the planned files, emits one INIT_FILE per file, and gives next steps', async () => {
    const { io, result, dir } = await init({ name: 'orders' });
    expect(await listTree(dir)).toEqual(
      expect.arrayContaining(['spec3.config.json', '.gitignore', '.github/workflows/deploy.yml', 'src/orders/handlers/api.py', 'tests/test_api.py']),
    );
    expect(io.events.filter((e) => e.code === 'INIT_FILE')).toHaveLength(result.files.length);
    expect(io.codes().at(-1)).toBe('INIT_DONE');
    expect(result.nextSteps).toEqual(['cd shop', 'spec3 synth dev', 'python3 -m unittest discover -s tests -t .']);
    expect(result.git).toBe('declined');
    expect(await readFile(path.join(dir, '.gitignore'), 'utf8')).toMatch(/^cdk\.out\/$/m);
  });

  it('refuses a non-empty directory before asking anything', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'shop'));
    await writeFile(path.join(cwd, 'shop', 'notes.txt'), 'mine');
    const io = new TestIo();
    const error = await failure(run({ dir: 'shop' }, { cwd, io }));
    expect(error.code).toBe('INIT_DIR_NOT_EMPTY');
    expect(error.message).toBe(`Directory ${path.join(cwd, 'shop')} is not empty.`);
    expect(error.hint).toBe('Choose a new or empty directory, or pass --force to write into it (files of the same name are replaced).');
    expect(io.asked).toEqual([]);
    expect(await listTree(path.join(cwd, 'shop'))).toEqual(['notes.txt']);
  });

  it('writes into a non-empty directory with --force, keeping unrelated files', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'shop'));
    await writeFile(path.join(cwd, 'shop', 'notes.txt'), 'mine');
    await run({ dir: 'shop', force: true, git: false }, { cwd, io: new TestIo() });
    expect(await readFile(path.join(cwd, 'shop', 'notes.txt'), 'utf8')).toBe('mine');
    await loadConfig({ cwd: path.join(cwd, 'shop') });
  });

  it('treats a fresh clone (only .git) as empty', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, '.git'));
    const result = await run({ git: false }, { cwd, io: new TestIo() });
    expect(result.dir).toBe(cwd);
    expect(result.nextSteps[0]).toBe('spec3 synth dev');
  });

  it('rolls back on a failed write: created files and folders removed, replaced files restored', async () => {
    const cwd = await tempDir();
    const dir = path.join(cwd, 'shop');
    // README.md is planned as a file; a folder in its place makes that write fail midway
    // (after spec3.config.json, .github/ and .gitignore were written).
    await mkdir(path.join(dir, 'README.md'), { recursive: true });
    await writeFile(path.join(dir, 'README.md', 'keep.txt'), 'x');
    await writeFile(path.join(dir, '.gitignore'), 'original\n');
    const before = await listTree(dir);
    const io = new TestIo();
    const error = await failure(run({ dir: 'shop', force: true, git: false }, { cwd, io }));
    expect(error.code).toBe('INIT_WRITE_FAILED');
    expect(error.message).toMatch(new RegExp(`^Could not write ${path.join(dir, 'README.md').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: EISDIR`));
    expect(error.hint).toMatch(/^Nothing was left behind\./);
    expect(await listTree(dir)).toEqual(before);
    expect(await readFile(path.join(dir, '.gitignore'), 'utf8')).toBe('original\n');
    expect(io.codes()).toContain('INIT_ROLLBACK');
    expect(io.codes()).not.toContain('INIT_DONE');
  });

  it('rejects an invalid flag value with the schema message, before asking', async () => {
    const cwd = await tempDir();
    const io = new TestIo();
    const error = await failure(run({ account: '42' }, { cwd, io }));
    expect(error.code).toBe('INIT_INVALID_OPTION');
    expect(error.message).toBe('--account "42": expected a 12-digit AWS account id, e.g. "123456789012".');
    expect(io.asked).toEqual([]);
  });

  it('derives a valid default name from any directory name', async () => {
    const { io } = await init({ dir: '2024 Shop_Front!!' });
    expect(io.asked[0]!.default).toBe('shop-front');
  });

  it('runs git init when asked to', async () => {
    const { result, dir, io } = await init({ name: 'orders' }, { INIT_GIT: true });
    expect(result.git).toBe('initialized');
    expect(await readdir(path.join(dir, '.git'))).toContain('HEAD');
    expect(io.codes()).toContain('INIT_GIT');
  });
});
