import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertDockerAvailable, dockerImageAssets, findOnPath } from '../../src/aws/docker-check.js';
import { parseConfig } from '../../src/config/load.js';
import { resolveStage } from '../../src/config/resolve.js';
import { buildApp } from '../../src/stack/app.js';
import { sampleConfig } from '../helpers/project.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs();

/** An asset manifest with one file asset and `images` container image assets. */
async function manifest(dir: string, images: number): Promise<string> {
  const file = path.join(dir, 'orders-dev-service.assets.json');
  const dockerImages = Object.fromEntries(
    Array.from({ length: images }, (_, i) => [`image${i}`, { source: { directory: `asset.image${i}` }, destinations: {} }]),
  );
  await writeFile(file, JSON.stringify({ version: '48.0.0', files: { code: { source: { path: 'asset.code' }, destinations: {} } }, dockerImages }));
  return file;
}

/** A directory holding an executable (or not) file named `name`, for PATH. */
async function binDir(name: string, executable = true): Promise<string> {
  const dir = path.join(await tempDir(), 'bin');
  await mkdir(dir);
  await writeFile(path.join(dir, name), '#!/bin/sh\nexit 0\n');
  await chmod(path.join(dir, name), executable ? 0o755 : 0o644);
  return dir;
}

describe('dockerImageAssets', () => {
  it('lists the container image assets of the manifests with absolute build directories, not the file assets', async () => {
    const dir = await tempDir();
    expect(await dockerImageAssets([await manifest(dir, 1)])).toEqual([{ id: 'image0', directory: path.join(dir, 'asset.image0') }]);
    const other = await tempDir();
    expect(await dockerImageAssets([await manifest(other, 0)])).toEqual([]);
  });
});

describe('findOnPath', () => {
  it('finds an executable on PATH and skips a file that is not executable', async () => {
    const bin = await binDir('docker');
    expect(await findOnPath('docker', { PATH: `/nonexistent:${bin}` }, 'linux')).toBe(path.join(bin, 'docker'));
    const plain = await binDir('docker', false);
    expect(await findOnPath('docker', { PATH: plain }, 'linux')).toBeUndefined();
    expect(await findOnPath('docker', {}, 'linux')).toBeUndefined();
  });
});

describe('assertDockerAvailable', () => {
  it('passes without container images, whatever the PATH', async () => {
    const file = await manifest(await tempDir(), 0);
    await expect(assertDockerAvailable([file], { env: { PATH: '' }, platform: 'linux' })).resolves.toBeUndefined();
  });

  it('refuses container images without docker on PATH, naming features.service.source and the image alternative', async () => {
    const dir = await tempDir();
    const file = await manifest(dir, 1);
    await expect(assertDockerAvailable([file], { env: { PATH: '/nonexistent' }, platform: 'linux' })).rejects.toMatchObject({
      code: 'DOCKER_NOT_FOUND',
      message: `This deploy builds a container image from features.service.source (${path.join(dir, 'asset.image0')}), which needs the "docker" command, and it is not on PATH. Nothing was deployed.`,
      hint: expect.stringContaining('set features.service.image to a published image URI instead of "source" in spec3.config.json'),
    });
  });

  it('passes with docker on PATH, and looks for the client CDK_DOCKER names instead', async () => {
    const file = await manifest(await tempDir(), 1);
    const docker = await binDir('docker');
    await expect(assertDockerAvailable([file], { env: { PATH: docker }, platform: 'linux' })).resolves.toBeUndefined();
    await expect(assertDockerAvailable([file], { env: { PATH: docker, CDK_DOCKER: 'podman' }, platform: 'linux' })).rejects.toMatchObject({
      code: 'DOCKER_NOT_FOUND',
      message: expect.stringContaining('needs the "podman" command'),
    });
    const podman = await binDir('podman');
    await expect(assertDockerAvailable([file], { env: { PATH: podman, CDK_DOCKER: 'podman' }, platform: 'linux' })).resolves.toBeUndefined();
  });

  it('finds the image of a service built from source in a synthesized assembly', async () => {
    const root = await tempDir();
    const source = path.join(root, 'service');
    await mkdir(source);
    await writeFile(path.join(source, 'Dockerfile'), 'FROM public.ecr.aws/nginx/nginx:1.27\n');
    const input = sampleConfig({ functions: [], features: { vpc: true, service: { source: 'service', port: 80 } } });
    const config = parseConfig(JSON.stringify(input));
    const outdir = path.join(root, 'cdk.out');
    buildApp({ stage: resolveStage(config, 'dev'), functions: [], features: config.features, assets: new Map(), outdir, serviceSource: source }).app.synth();
    const manifests = (await readdir(outdir)).filter((f) => f.endsWith('.assets.json')).map((f) => path.join(outdir, f));
    expect(manifests.length).toBeGreaterThan(1);
    const images = await dockerImageAssets(manifests);
    expect(images).toHaveLength(1);
    await expect(assertDockerAvailable(manifests, { env: { PATH: '' }, platform: 'linux' })).rejects.toMatchObject({ code: 'DOCKER_NOT_FOUND' });
  });
});
