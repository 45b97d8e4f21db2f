import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleFunctions, LAMBDA_LIMITS, measure, requirementLines } from '../../../src/commands/synth/bundle.js';
import { TestIo } from '../../helpers/io.js';
import { writeFiles } from '../../helpers/project.js';
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

const bundleData = (io: TestIo) => io.events.at(-1)!.data as { key: string; size: { files: number; bytes: number; zippedBytes: number } };

/** Every file of a directory tree, relative, sorted (what a bundle holds). */
async function tree(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const name = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await tree(dir, name)));
    else out.push(name);
  }
  return out.sort();
}

/** A project whose function source is the project root, holding everything a developer's checkout holds. */
async function messyProject(): Promise<string> {
  const dir = await project();
  await writeFiles(dir, {
    '.env': 'DB_PASSWORD=hunter2\n',
    '.aws/credentials': '[default]\naws_secret_access_key=SECRET\n',
    'src/.ssh/id_rsa': 'PRIVATE KEY\n',
    'src/orders/.spec3/build/old/x.py': 'stale bundle\n',
    '.git/config': '[core]\n',
    'cdk.out/dev/manifest.json': '{}',
    'node_modules/aws-cdk-lib/index.js': 'tooling\n',
    'src/vendor/node_modules/left-pad/index.js': 'module.exports = 1;\n',
    'shared/util.py': 'X = 1\n',
  });
  await symlink('../shared', path.join(dir, 'src', 'shared'));
  return dir;
}

describe('bundle contents', () => {
  it('ships none of the secrets, no earlier bundle and no tooling, follows a symlink inside the project, and three synths give one bundle', async () => {
    const dir = await messyProject();
    const cacheDir = path.join(dir, '.spec3', 'build');
    const keys: string[] = [];
    const bundles: string[] = [];
    for (let i = 0; i < 3; i++) {
      const io = new TestIo();
      bundles.push((await bundleFunctions({ projectDir: dir, functions: [fn('api', { source: '.' })], cacheDir }, { io })).get('api')!);
      keys.push(bundleData(io).key);
      expect(io.codes()).toEqual([i === 0 ? 'BUNDLE_BUILT' : 'BUNDLE_CACHED']);
    }
    expect(new Set(bundles).size).toBe(1);
    expect(new Set(keys).size).toBe(1);
    expect((await readdir(cacheDir)).sort()).toEqual([keys[0], `${keys[0]}.size.json`]);
    expect(await tree(bundles[0]!)).toEqual([
      'requirements.txt',
      'shared/util.py',
      'src/orders/__init__.py',
      'src/orders/handlers/api.py',
      'src/shared/util.py',
      'src/vendor/node_modules/left-pad/index.js',
    ]);
  });

  it('reports the size of what ships, built and reused', async () => {
    const dir = await project();
    await writeFile(path.join(dir, 'src', 'data.txt'), 'a'.repeat(10_000));
    const cacheDir = path.join(dir, 'b');
    const built = new TestIo();
    const bundle = (await bundleFunctions({ projectDir: dir, functions: [fn('api')], cacheDir }, { io: built })).get('api')!;
    const size = bundleData(built).size;
    expect(size.files).toBe(3);
    expect(size.bytes).toBe(10_000 + 'def handler(e, c):\n    return 1\n'.length);
    expect(built.events[0]!.message).toMatch(/^Bundled src \(python3\.13\) as [0-9a-f]{16}: 3 file\(s\), 9\.8 KB, \d+ B zipped$/);
    const reused = new TestIo();
    await bundleFunctions({ projectDir: dir, functions: [fn('api')], cacheDir }, { io: reused });
    expect(bundleData(reused).size).toEqual(size);
    // The zipped figure is what a real zip archive of the bundle weighs, within a few bytes per file.
    const zip = path.join(dir, 'real.zip');
    execFileSync('python3', ['-c', `import os, sys, zipfile
z = zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED)
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        p = os.path.join(root, f)
        z.write(p, os.path.relpath(p, sys.argv[1]))
z.close()`, bundle, zip]);
    const real = (await stat(zip)).size;
    expect(Math.abs(size.zippedBytes - real)).toBeLessThan(20 * size.files);
  });

  it('leaves out what the exclude list names, at any depth for a bare name', async () => {
    const dir = await project();
    await mkdir(path.join(dir, 'src', 'tests'), { recursive: true });
    await writeFile(path.join(dir, 'src', 'tests', 'test_api.py'), 'def test(): pass\n');
    await writeFile(path.join(dir, 'src', 'orders', 'fixture.csv'), 'a,b\n');
    await writeFile(path.join(dir, 'src', 'orders', 'handlers', 'keep.py'), '\n');
    const bundle = (
      await bundleFunctions({ projectDir: dir, functions: [fn('api', { exclude: ['tests/', '*.csv'] })], cacheDir: path.join(dir, 'b') }, { io: new TestIo() })
    ).get('api')!;
    expect(await tree(bundle)).toEqual(['orders/__init__.py', 'orders/handlers/api.py', 'orders/handlers/keep.py']);
  });

  it('refuses a symlink that leads outside the project, naming it and where it leads', async () => {
    const dir = await project();
    const outside = await tempDir();
    await writeFile(path.join(outside, 'id_rsa'), 'PRIVATE KEY\n');
    await symlink(path.join(outside, 'id_rsa'), path.join(dir, 'src', 'key'));
    const error = await bundleFunctions({ projectDir: dir, functions: [fn('api')], cacheDir: path.join(dir, 'b') }, { io: new TestIo() }).catch((e) => e);
    expect(error).toMatchObject({ code: 'BUNDLE_SYMLINK_OUTSIDE' });
    expect(error.message).toBe(
      `Function "api": symlink src/key leads outside the project, to ${path.join(outside, 'id_rsa')}; spec3 ships only files of the project.`,
    );
  });

  it('refuses a symlink inside the project that leads to a left-out file such as .env', async () => {
    const dir = await project();
    await writeFile(path.join(dir, '.env'), 'DB_PASSWORD=hunter2\n');
    await symlink('../.env', path.join(dir, 'src', 'settings.env'));
    const error = await bundleFunctions({ projectDir: dir, functions: [fn('api')], cacheDir: path.join(dir, 'b') }, { io: new TestIo() }).catch((e) => e);
    expect(error).toMatchObject({ code: 'BUNDLE_SYMLINK_EXCLUDED' });
    expect(error.message).toContain('symlink src/settings.env leads to .env');
  });

  it("refuses a bundle over Lambda's 50 MB zipped limit at synth, and keeps no bundle of it", async () => {
    const dir = await project();
    // Random bytes do not compress: 51 MB stays 51 MB zipped, far under the 250 MB unzipped limit.
    await writeFile(path.join(dir, 'src', 'model.bin'), randomBytes(51 * 1024 * 1024));
    const cacheDir = path.join(dir, 'b');
    const error = await bundleFunctions({ projectDir: dir, functions: [fn('api')], cacheDir }, { io: new TestIo() }).catch((e) => e);
    expect(error).toMatchObject({ code: 'BUNDLE_TOO_LARGE' });
    expect(error.message).toMatch(/^Function "api": the bundle of src is 51\.0 MB zipped, over Lambda's limit of 50\.0 MB zipped \(3 files\)\.$/);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('refuses a bundle over the unzipped limit even when it zips small', async () => {
    const dir = await project();
    await writeFile(path.join(dir, 'src', 'zeros.bin'), Buffer.alloc(300_000));
    const limits = { zippedBytes: LAMBDA_LIMITS.zippedBytes, unzippedBytes: 200_000 };
    const error = await bundleFunctions({ projectDir: dir, functions: [fn('api')], cacheDir: path.join(dir, 'b'), limits }, { io: new TestIo() }).catch((e) => e);
    expect(error).toMatchObject({ code: 'BUNDLE_TOO_LARGE' });
    expect(error.message).toContain("unzipped, over Lambda's limit of 195.3 KB unzipped");
    expect(LAMBDA_LIMITS).toEqual({ zippedBytes: 52_428_800, unzippedBytes: 262_144_000 });
  });
});

describe('measure', () => {
  it('counts every file and its bytes', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'a'));
    await writeFile(path.join(dir, 'a', 'x'), 'hello');
    await writeFile(path.join(dir, 'y'), '');
    expect(await measure(dir)).toMatchObject({ files: 2, bytes: 5 });
  });
});
