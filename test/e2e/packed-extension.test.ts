import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeProject } from '../helpers/project.js';
import { sh } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * spec3 as a user gets it: `npm pack`, installed into a project that declares nothing but spec3
 * (no aws-cdk-lib, no constructs, no esbuild of its own). Its TypeScript extension imports only
 * `spec3/extend`, and `npx spec3 synth` bundles and runs it with the CDK copy spec3 ships.
 */
describe('an installed spec3 synthesizes a TypeScript extension', () => {
  let parent = '';
  let project = '';

  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'dist', 'extend', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
    parent = await mkdtemp(path.join(os.tmpdir(), 'spec3-packed-'));
    const pack = await sh('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', parent], ROOT);
    expect(pack.exitCode, pack.all).toBe(0);
    const tarball = (await readdir(parent)).find((f) => f.endsWith('.tgz'))!;
    project = path.join(parent, 'app');
    await mkdir(project);
    await writeProject(project);
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }, null, 2));
    const install = await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(parent, tarball)], project);
    expect(install.exitCode, install.all).toBe(0);
  }, 600_000);
  afterAll(async () => {
    if (parent) await rm(parent, { recursive: true, force: true });
  });

  it('declares only spec3, and spec3/extend comes with its type declarations', async () => {
    const manifest = JSON.parse(await readFile(path.join(project, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).toEqual(['spec3']);
    expect(existsSync(path.join(project, 'node_modules', 'spec3', 'dist', 'extend', 'index.d.ts'))).toBe(true);
  });

  it('synthesizes the extension: its table is in the storage stack, its grant in compute', async () => {
    await writeFile(
      path.join(project, 'spec3.extend.ts'),
      `import { defineExtensions, dynamodb, type HookContext } from 'spec3/extend';

const table = (ctx: HookContext<'storage'>): dynamodb.Table =>
  new dynamodb.Table(ctx.stack, 'AuditTable', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });

export default defineExtensions({
  storage(ctx) {
    ctx.publish('audit-table', table(ctx));
  },
  compute({ functions, consume }) {
    consume<dynamodb.ITable>('storage', 'audit-table').grantReadData(functions.api!);
  },
});
`,
    );
    const r = await sh('npx', ['--no-install', 'spec3', 'synth', 'dev', '--json'], project, { CI: '1', NO_COLOR: '1' });
    expect(r.exitCode, r.all).toBe(0);
    const outDir = (JSON.parse(r.stdout) as { outDir: string }).outDir;
    const storage = await readFile(path.join(outDir, 'orders-dev-storage.template.json'), 'utf8');
    expect(storage).toMatch(/"AuditTable[0-9A-F]{8}"/);
    expect(storage).toContain('/spec3/orders/dev/storage/ext-audit-table-arn');
    const compute = await readFile(path.join(outDir, 'orders-dev-compute.template.json'), 'utf8');
    expect(compute).toContain('/spec3/orders/dev/storage/ext-audit-table-arn');
  });
});
