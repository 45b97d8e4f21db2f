import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleFunctions, requirementLines } from '../../../src/commands/synth/bundle.js';
import { TestIo } from '../../helpers/io.js';
import { useTempDirs } from '../../helpers/tmp.js';

const tempDir = useTempDirs();

async function project(requirements = '# boto3 ships with the runtime\n'): Promise<string> {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'src', 'orders', 'handlers', '__pycache__'), { recursive: true });
  await writeFile(path.join(dir, 'src', 'orders', '__init__.py'), '');
  await writeFile(path.join(dir, 'src', 'orders', 'handlers', 'api.py'), 'def handler(e, c):\n    return 1\n');
  await writeFile(path.join(dir, 'src', 'orders', 'handlers', '__pycache__', 'api.cpython-311.pyc'), 'stale');
  await writeFile(path.join(dir, 'requirements.txt'), requirements);
  return dir;
}

const fn = (name: string, extra = {}) => ({ name, runtime: 'python3.13' as const, source: 'src', requirements: 'requirements.txt', ...extra });

/** A pure-Python wheel built by hand, so pip can install it with no index and no network. */
function writeWheel(dir: string): void {
  execFileSync('python3', [
    '-c',
    `import zipfile
w = zipfile.ZipFile('tinylib-1.0-py3-none-any.whl', 'w')
w.writestr('tinylib/__init__.py', 'VALUE = 42\\n')
w.writestr('tinylib-1.0.dist-info/METADATA', 'Metadata-Version: 2.1\\nName: tinylib\\nVersion: 1.0\\n')
w.writestr('tinylib-1.0.dist-info/WHEEL', 'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')
w.writestr('tinylib-1.0.dist-info/RECORD', '')
w.close()`,
  ], { cwd: dir });
}

describe('requirementLines', () => {
  it('keeps what installs something and drops comments, blanks and bare options', () => {
    expect(requirementLines('# c\n\nrequests==2.0  # pinned\n--no-index\n-i https://x\n-r other.txt\n')).toEqual([
      'requests==2.0',
      '-r other.txt',
    ]);
  });
});

describe('bundleFunctions', () => {
  it('copies the sources without caches, and shares one bundle between functions of one source', async () => {
    const dir = await project();
    const io = new TestIo();
    const bundles = await bundleFunctions({ projectDir: dir, functions: [fn('api'), fn('backup')], cacheDir: path.join(dir, '.spec3', 'build') }, { io });
    const api = bundles.get('api')!;
    expect(bundles.get('backup')).toBe(api);
    expect(await readFile(path.join(api, 'orders', 'handlers', 'api.py'), 'utf8')).toContain('def handler');
    expect(await readdir(path.join(api, 'orders', 'handlers'))).toEqual(['api.py']);
    expect(io.codes()).toEqual(['BUNDLE_BUILT']);
  });

  it('reuses an unchanged bundle and rebuilds when a source file changes', async () => {
    const dir = await project();
    const cacheDir = path.join(dir, '.spec3', 'build');
    const first = (await bundleFunctions({ projectDir: dir, functions: [fn('api')], cacheDir }, { io: new TestIo() })).get('api');
    const io = new TestIo();
    const second = (await bundleFunctions({ projectDir: dir, functions: [fn('api')], cacheDir }, { io })).get('api');
    expect(second).toBe(first);
    expect(io.codes()).toEqual(['BUNDLE_CACHED']);

    await writeFile(path.join(dir, 'src', 'orders', 'handlers', 'api.py'), 'def handler(e, c):\n    return 2\n');
    const third = (await bundleFunctions({ projectDir: dir, functions: [fn('api')], cacheDir }, { io: new TestIo() })).get('api');
    expect(third).not.toBe(first);
    expect(await readFile(path.join(third!, 'orders', 'handlers', 'api.py'), 'utf8')).toContain('return 2');
  });

  it('installs listed requirements with pip into the bundle', async () => {
    const dir = await project('--no-index\n./tinylib-1.0-py3-none-any.whl\n');
    writeWheel(dir);
    const io = new TestIo();
    const bundle = (await bundleFunctions({ projectDir: dir, functions: [fn('api')], cacheDir: path.join(dir, 'b') }, { io })).get('api')!;
    expect(await readFile(path.join(bundle, 'tinylib', '__init__.py'), 'utf8')).toBe('VALUE = 42\n');
    expect(await readdir(bundle)).toEqual(expect.arrayContaining(['orders', 'tinylib']));
    expect(io.codes()).toEqual(['BUNDLE_PIP', 'BUNDLE_BUILT']);
  });

  it('reports what pip said when a requirement cannot be installed, and leaves no partial bundle', async () => {
    const dir = await project('--no-index\nnopkg-xyz==1.0\n');
    const cacheDir = path.join(dir, 'b');
    const error = await bundleFunctions({ projectDir: dir, functions: [fn('api')], cacheDir }, { io: new TestIo() }).catch((e) => e);
    expect(error).toMatchObject({ code: 'BUNDLE_FAILED' });
    expect(error.message).toContain(`pip could not install ${path.join(dir, 'requirements.txt')}`);
    expect(error.message).toContain('No matching distribution found for nopkg-xyz==1.0');
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('copies Node.js sources as they are, without pip', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'src', 'handlers'), { recursive: true });
    await writeFile(path.join(dir, 'src', 'handlers', 'api.mjs'), 'export const handler = async () => 1;\n');
    await writeFile(path.join(dir, 'requirements.txt'), 'would-fail-if-installed==1\n');
    const io = new TestIo();
    const bundle = (await bundleFunctions({ projectDir: dir, functions: [fn('api', { runtime: 'nodejs22.x' })], cacheDir: path.join(dir, 'b') }, { io })).get('api')!;
    expect(await readdir(path.join(bundle, 'handlers'))).toEqual(['api.mjs']);
    expect(io.codes()).toEqual(['BUNDLE_BUILT']);
  });
});
