import { access, readFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Spec3Error } from '../errors.js';

interface ManifestJson {
  dockerImages?: Record<string, { source?: { directory?: string } }>;
}

/** A container image the deploy has to build and push, from one asset manifest. */
export interface DockerImageAsset {
  readonly id: string;
  /** Absolute build directory (the Dockerfile directory of features.service.source). */
  readonly directory: string;
}

/** The container image assets of the given asset manifests. */
export async function dockerImageAssets(manifestFiles: readonly string[]): Promise<DockerImageAsset[]> {
  const all = await Promise.all(
    manifestFiles.map(async (file) => {
      const manifest = JSON.parse(await readFile(file, 'utf8')) as ManifestJson;
      return Object.entries(manifest.dockerImages ?? {}).map(([id, entry]) => ({
        id,
        directory: path.resolve(path.dirname(file), entry.source?.directory ?? '.'),
      }));
    }),
  );
  return all.flat();
}

/** The full path of `command` found on `PATH`, or undefined (Windows also tries PATHEXT suffixes). */
export async function findOnPath(command: string, env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): Promise<string | undefined> {
  const windows = platform === 'win32';
  const suffixes = windows ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  const candidates = path.isAbsolute(command)
    ? [command]
    : (env.PATH ?? env.Path ?? '')
        .split(windows ? ';' : ':')
        .filter(Boolean)
        .flatMap((dir) => suffixes.map((s) => path.join(dir, command + s)));
  for (const candidate of candidates) {
    try {
      await access(candidate, windows ? constants.F_OK : constants.X_OK);
      return candidate;
    } catch {
      // not here: try the next directory
    }
  }
  return undefined;
}

export interface DockerCheckOptions {
  /** The environment that decides PATH and CDK_DOCKER (the container client cdk-assets runs). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Default: this machine's. */
  readonly platform?: NodeJS.Platform;
}

/**
 * Refuses, before anything is deployed, a deploy whose stacks have container images to build when
 * there is no docker CLI to build them with (cdk-assets runs `docker`, or the client CDK_DOCKER
 * names). Without this check the foundation stacks would deploy first and the service stack would
 * fail halfway through the app phase.
 */
export async function assertDockerAvailable(manifestFiles: readonly string[], options: DockerCheckOptions): Promise<void> {
  const images = await dockerImageAssets(manifestFiles);
  if (images.length === 0) return;
  const command = options.env.CDK_DOCKER || 'docker';
  if (await findOnPath(command, options.env, options.platform ?? os.platform())) return;
  const dirs = [...new Set(images.map((i) => i.directory))].join(', ');
  throw new Spec3Error(
    'DOCKER_NOT_FOUND',
    `This deploy builds a container image from features.service.source (${dirs}), which needs the "${command}" command, and it is not on PATH. Nothing was deployed.`,
    'Install Docker (or set CDK_DOCKER to a compatible client such as finch or podman), ' +
      'or set features.service.image to a published image URI instead of "source" in spec3.config.json.',
  );
}
