import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as list } from '../../../src/commands/list/index.js';
import { run as synth } from '../../../src/commands/synth/index.js';
import { TestIo } from '../../helpers/io.js';
import { sampleConfig, writeProject } from '../../helpers/project.js';
import { useTempDirs } from '../../helpers/tmp.js';

const tempDir = useTempDirs();

describe('synth', () => {
  it('writes one template per stack to cdk.out/<stage> and reports them by phase', async () => {
    const dir = await tempDir();
    await writeProject(dir);
    const result = await synth({ stage: 'dev' }, { cwd: dir, io: new TestIo() });
    expect(result.outDir).toBe(path.join(dir, 'cdk.out', 'dev'));
    expect(result.phases.map((p) => [p.phase, p.stacks.map((s) => s.name)])).toEqual([
      ['foundation', ['orders-dev-network', 'orders-dev-security', 'orders-dev-messaging', 'orders-dev-storage']],
      ['app', ['orders-dev-compute', 'orders-dev-api', 'orders-dev-monitoring']],
      ['integrations', ['orders-dev-integrations']],
    ]);
    for (const s of result.phases.flatMap((p) => p.stacks)) {
      const template = JSON.parse(await readFile(path.join(result.outDir, s.template), 'utf8'));
      expect(Object.keys(template.Resources)).toHaveLength(s.resources);
    }
    expect(result).toMatchObject({ project: 'orders', stage: 'dev', account: '123456789012', region: 'us-east-1' });
  });

  it('clears a previous assembly so removed stacks leave no stale template', async () => {
    const dir = await tempDir();
    await writeProject(dir);
    await synth({ stage: 'dev' }, { cwd: dir, io: new TestIo() });
    await writeProject(dir, sampleConfig({ features: { vpc: false, api: { type: 'rest' } } }));
    await synth({ stage: 'dev' }, { cwd: dir, io: new TestIo() });
    const files = await readdir(path.join(dir, 'cdk.out', 'dev'));
    expect(files).not.toContain('orders-dev-network.template.json');
    expect(files).toContain('orders-dev-storage.template.json');
  });

  it('refuses to write into a directory that is not a cloud assembly', async () => {
    const dir = await tempDir();
    await writeProject(dir);
    await mkdir(path.join(dir, 'keep'));
    await writeFile(path.join(dir, 'keep', 'notes.txt'), 'precious');
    await expect(synth({ stage: 'dev', out: 'keep' }, { cwd: dir, io: new TestIo() })).rejects.toMatchObject({
      code: 'OUT_DIR_NOT_ASSEMBLY',
    });
    expect(await readFile(path.join(dir, 'keep', 'notes.txt'), 'utf8')).toBe('precious');
  });

  it('warns about a runtime Lambda no longer creates', async () => {
    const dir = await tempDir();
    const config = sampleConfig();
    config.functions = config.functions!.map((f) => ({ ...f, runtime: 'python3.11' as const }));
    await writeProject(dir, config);
    const io = new TestIo();
    await synth({ stage: 'dev' }, { cwd: dir, io });
    const warnings = io.events.filter((e) => e.code === 'RUNTIME_DEPRECATED');
    expect(warnings).toHaveLength(5);
    expect(warnings[0]!.message).toBe(
      'Function api: AWS Lambda stopped creating python3.11 functions on 2026-07-31; set "runtime" to "python3.13" in spec3.config.json.',
    );
  });

  it('gives a stage asking for WAF an edge stack in the foundation phase, with no warning for a REST API', async () => {
    const dir = await tempDir();
    await writeProject(dir);
    const prod = new TestIo();
    const result = await synth({ stage: 'prod' }, { cwd: dir, io: prod });
    expect(result.phases[0]!.stacks.map((s) => s.name)).toContain('orders-prod-edge');
    expect(prod.codes()).not.toContain('WAF_HTTP_API');
    const dev = new TestIo();
    const devResult = await synth({ stage: 'dev' }, { cwd: dir, io: dev });
    expect(devResult.phases.flatMap((p) => p.stacks.map((s) => s.name))).not.toContain('orders-dev-edge');
  });

  it('warns that an HTTP API cannot take the web ACL of a stage asking for WAF', async () => {
    const dir = await tempDir();
    await writeProject(dir, sampleConfig({ features: { vpc: true, api: { type: 'http' } } }));
    const prod = new TestIo();
    const result = await synth({ stage: 'prod' }, { cwd: dir, io: prod });
    expect(prod.events.filter((e) => e.code === 'WAF_HTTP_API').map((e) => e.message)).toEqual([
      'Stage prod asks for WAF, but an HTTP API cannot take a WAF web ACL (API Gateway HTTP APIs have no WAF support): ' +
        'the API is protected by throttling only. To put the API behind the web ACL, set features.api.type to "rest" in spec3.config.json.',
    ]);
    // The web ACL is still made, for the load balancer of a container service.
    expect(result.phases[0]!.stacks.map((s) => s.name)).toContain('orders-prod-edge');
    const dev = new TestIo();
    await synth({ stage: 'dev' }, { cwd: dir, io: dev });
    expect(dev.codes()).not.toContain('WAF_HTTP_API');
  });

  it('says the load balancer still gets the web ACL when an HTTP API cannot', async () => {
    const dir = await tempDir();
    await writeProject(dir, sampleConfig({ features: { vpc: true, api: { type: 'http' }, service: { image: 'public.ecr.aws/nginx/nginx:1.27' } } }));
    const prod = new TestIo();
    await synth({ stage: 'prod' }, { cwd: dir, io: prod });
    expect(prod.events.find((e) => e.code === 'WAF_HTTP_API')?.message).toContain(
      'the API is protected by throttling only; the load balancer does get the web ACL.',
    );
  });
});

describe('list', () => {
  it('plans without bundling code or leaving an assembly behind', async () => {
    const dir = await tempDir();
    await writeProject(dir);
    const result = await list({ stage: 'prod' }, { cwd: dir, io: new TestIo() });
    expect(result.protected).toBe(true);
    expect(result.phases.map((p) => p.phase)).toEqual(['foundation', 'app', 'integrations']);
    expect(result.phases[0]!.stacks.every((s) => s.terminationProtection)).toBe(true);
    expect(result.phases[1]!.stacks.find((s) => s.kind === 'api')!.dependsOn).toEqual(['orders-prod-compute']);
    await expect(stat(path.join(dir, '.spec3'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(path.join(dir, 'cdk.out'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
