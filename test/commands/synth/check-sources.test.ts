import { mkdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkServiceSource, checkSources, handlerFiles } from '../../../src/commands/synth/check-sources.js';
import { run as synth } from '../../../src/commands/synth/index.js';
import { TestIo } from '../../helpers/io.js';
import { sampleConfig, writeProject } from '../../helpers/project.js';
import { useTempDirs } from '../../helpers/tmp.js';

const tempDir = useTempDirs();
const fn = { name: 'api', runtime: 'python3.13' as const, handler: 'orders.handlers.api.handler', source: 'src', requirements: 'requirements.txt', access: [], triggers: [], environment: {} };

describe('handlerFiles', () => {
  it('maps Python and Node.js handlers to their files', () => {
    expect(handlerFiles(fn)).toEqual(['orders/handlers/api.py']);
    expect(handlerFiles({ runtime: 'nodejs22.x', handler: 'handlers/api.handler' })).toEqual([
      'handlers/api.mjs',
      'handlers/api.js',
      'handlers/api.cjs',
    ]);
  });
});

describe('checkSources', () => {
  it('names the field and the directory when the source directory is missing', async () => {
    const dir = await tempDir();
    await expect(checkSources([fn], dir, 'spec3.config.json')).rejects.toMatchObject({
      code: 'FUNCTION_SOURCE_MISSING',
      message: `spec3.config.json: functions[0].source: directory "src" of function "api" does not exist (looked in ${path.join(dir, 'src')}).`,
    });
  });

  it('names the handler file that is missing, and passes once it exists', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'src', 'orders', 'handlers'), { recursive: true });
    await expect(checkSources([fn], dir, 'spec3.config.json')).rejects.toMatchObject({
      code: 'FUNCTION_HANDLER_MISSING',
      message: 'spec3.config.json: functions[0].handler: "orders.handlers.api.handler" needs src/orders/handlers/api.py, which does not exist.',
      hint: 'Create that file with a "handler" function, or fix "handler".',
    });
    await writeFile(path.join(dir, 'src', 'orders', 'handlers', 'api.py'), '');
    await expect(checkSources([fn], dir, 'spec3.config.json')).resolves.toBeUndefined();
  });
});

describe('checkSources: the source lies inside the project', () => {
  it('refuses a source outside the project, by a relative path or through a symlink, naming where it is', async () => {
    const parent = await tempDir();
    const dir = path.join(parent, 'project');
    await mkdir(path.join(parent, 'elsewhere', 'orders', 'handlers'), { recursive: true });
    await writeFile(path.join(parent, 'elsewhere', 'orders', 'handlers', 'api.py'), '');
    await mkdir(dir);
    const root = await realpath(dir);
    const elsewhere = await realpath(path.join(parent, 'elsewhere'));
    await expect(checkSources([{ ...fn, source: '../elsewhere' }], dir, 'spec3.config.json')).rejects.toMatchObject({
      code: 'FUNCTION_SOURCE_OUTSIDE',
      message: `spec3.config.json: functions[0].source: directory "../elsewhere" of function "api" is ${elsewhere}, outside the project (${root}); spec3 bundles only code of the project.`,
    });
    await symlink('../elsewhere', path.join(dir, 'src'));
    await expect(checkSources([fn], dir, 'spec3.config.json')).rejects.toMatchObject({ code: 'FUNCTION_SOURCE_OUTSIDE' });
  });
});

describe('checkServiceSource', () => {
  const hint = 'Point "source" at the directory that holds the Dockerfile of the service, or set "image" to an image URI instead.';

  it('names the file, the field and the fix when the directory does not exist', async () => {
    const dir = await tempDir();
    await expect(checkServiceSource({ source: 'service' }, dir, 'spec3.config.json')).rejects.toMatchObject({
      code: 'SERVICE_SOURCE_MISSING',
      message: `spec3.config.json: features.service.source: directory "service" does not exist (looked in ${path.join(dir, 'service')}).`,
      hint,
    });
  });

  it('refuses a directory without a Dockerfile, and returns the absolute directory once it has one', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'service'));
    await expect(checkServiceSource({ source: 'service' }, dir, 'spec3.config.json')).rejects.toMatchObject({
      code: 'SERVICE_SOURCE_MISSING',
      message: `spec3.config.json: features.service.source: directory "service" has no Dockerfile (looked for ${path.join(dir, 'service', 'Dockerfile')}).`,
      hint,
    });
    await writeFile(path.join(dir, 'service', 'Dockerfile'), 'FROM public.ecr.aws/nginx/nginx:1.27\n');
    await expect(checkServiceSource({ source: 'service' }, dir, 'spec3.config.json')).resolves.toBe(path.join(dir, 'service'));
  });

  it('refuses a Dockerfile that is a directory', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'service', 'Dockerfile'), { recursive: true });
    await expect(checkServiceSource({ source: 'service' }, dir, 'spec3.config.json')).rejects.toMatchObject({ code: 'SERVICE_SOURCE_MISSING' });
  });

  it('has nothing to check without a service or with an image', async () => {
    const dir = await tempDir();
    await expect(checkServiceSource(undefined, dir, 'spec3.config.json')).resolves.toBeUndefined();
    await expect(checkServiceSource({ source: undefined }, dir, 'spec3.config.json')).resolves.toBeUndefined();
  });
});

describe('synth of a service built from source', () => {
  const project = async () => {
    const dir = await tempDir();
    await writeProject(dir, sampleConfig({ functions: [], features: { vpc: true, service: { source: 'service', port: 80 } } }));
    return dir;
  };

  it('refuses a missing Dockerfile directory before writing an assembly', async () => {
    const dir = await project();
    await expect(synth({ stage: 'dev' }, { cwd: dir, io: new TestIo() })).rejects.toMatchObject({
      code: 'SERVICE_SOURCE_MISSING',
      message: expect.stringContaining('spec3.config.json: features.service.source: directory "service" does not exist'),
    });
  });

  it('builds the image from the directory next to the config', async () => {
    const dir = await project();
    await mkdir(path.join(dir, 'service'));
    await writeFile(path.join(dir, 'service', 'Dockerfile'), 'FROM public.ecr.aws/nginx/nginx:1.27\n');
    const result = await synth({ stage: 'dev' }, { cwd: dir, io: new TestIo() });
    expect(result.phases.find((p) => p.phase === 'app')?.stacks.map((s) => s.name)).toContain('orders-dev-service');
    const manifest = JSON.parse(await readFile(path.join(result.outDir, 'orders-dev-service.assets.json'), 'utf8')) as {
      dockerImages: Record<string, { source: { directory: string } }>;
    };
    const [image] = Object.values(manifest.dockerImages);
    // The assembly holds a copy of the build directory, with the Dockerfile.
    expect(await readFile(path.join(result.outDir, image!.source.directory, 'Dockerfile'), 'utf8')).toContain('FROM public.ecr.aws/nginx/nginx');
  });
});
