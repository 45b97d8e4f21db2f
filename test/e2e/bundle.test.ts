import { readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleConfig, writeFiles, writeProject } from '../helpers/project.js';
import { useTempDirs } from '../helpers/tmp.js';
import { spec3 } from './helpers.js';

const tempDir = useTempDirs();

/** Every file under `dir`, relative, following nothing (what was written to disk). */
async function files(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const name = rel ? `${rel}/${e.name}` : e.name;
    out.push(...(e.isDirectory() ? await files(dir, name) : [name]));
  }
  return out;
}

describe('function bundles (built binary)', () => {
  it('with source "." ships none of the secrets, follows a symlink inside the project, and three synths give one bundle and one hash', async () => {
    const dir = await tempDir();
    const config = sampleConfig({ features: { vpc: false } });
    await writeProject(dir, { ...config, functions: [{ name: 'api', handler: 'src.orders.handlers.api.handler', source: '.' }] });
    await writeFiles(dir, {
      '.env': 'DB_PASSWORD=hunter2\n',
      '.aws/credentials': '[default]\naws_secret_access_key=SECRET\n',
      'src/orders/.spec3/build/old/leftover.py': 'x = 1\n',
      'shared/util.py': 'X = 1\n',
    });
    await symlink('../shared', path.join(dir, 'src', 'shared'));

    const runs = [];
    for (let i = 0; i < 3; i++) {
      const r = await spec3(['synth', 'dev'], dir);
      expect(r.exitCode, r.all).toBe(0);
      runs.push(r.stderr);
    }
    const key = /Bundled \. \(python3\.13\) as ([0-9a-f]{16}): \d+ file\(s\), [\d.]+ K?B, [\d.]+ K?B zipped/.exec(runs[0]!)?.[1];
    expect(key, runs[0]).toBeDefined();
    for (const later of runs.slice(1)) expect(later).toContain(`Code of . (python3.13): unchanged, bundle ${key} reused`);
    expect((await readdir(path.join(dir, '.spec3', 'build'))).sort()).toEqual([key, `${key}.size.json`]);

    const shipped = await files(path.join(dir, '.spec3', 'build', key!));
    expect(shipped.sort()).toEqual(['shared/util.py', 'spec3.config.json', 'src/orders/handlers/api.py', 'src/shared/util.py']);
    // The asset CDK stages from the bundle holds the same files: no secret reaches the assembly.
    const assets = (await readdir(path.join(dir, 'cdk.out', 'dev'))).filter((d) => d.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    expect((await files(path.join(dir, 'cdk.out', 'dev', assets[0]!))).sort()).toEqual(shipped.sort());
  });
});
