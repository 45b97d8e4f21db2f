import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { GetBucketEncryptionCommand, GetBucketLocationCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { ClientOptions, IAws } from '@aws-cdk/cdk-assets-lib';
import { Spec3Error } from '../errors.js';
import type { AwsClients } from './clients.js';

/**
 * cdk-assets' view of AWS, served by spec3's one client factory: same credentials, endpoint,
 * retries, and the bootstrap publishing roles assumed the way the CDK CLI assumes them.
 */
class SharedAws implements IAws {
  constructor(private readonly aws: AwsClients) {}

  private as(options: ClientOptions): AwsClients {
    return options.assumeRoleArn ? this.aws.withRole(options.assumeRoleArn, 'spec3-assets') : this.aws;
  }

  async discoverPartition(): Promise<string> {
    return (await this.discoverCurrentAccount()).partition;
  }

  async discoverDefaultRegion(): Promise<string> {
    return this.aws.region;
  }

  async discoverCurrentAccount() {
    return account(this.aws);
  }

  async discoverTargetAccount(options: ClientOptions) {
    return account(this.as(options));
  }

  async s3Client(options: ClientOptions) {
    const client = await this.as(options).s3();
    return {
      getBucketEncryption: (input: never) => client.send(new GetBucketEncryptionCommand(input)),
      getBucketLocation: (input: never) => client.send(new GetBucketLocationCommand(input)),
      listObjectsV2: (input: never) => client.send(new ListObjectsV2Command(input)),
      upload: async (input: never) => {
        const { Upload } = await import('@aws-sdk/lib-storage');
        return new Upload({ client, params: input }).done();
      },
    } as never;
  }

  /** For container images (features.service.source): the bootstrap repository, checked and logged into by cdk-assets. */
  async ecrClient(options: ClientOptions) {
    const clients = this.as(options);
    const { ECRClient, DescribeImagesCommand, DescribeRepositoriesCommand, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
    const client = clients.guarded(
      'ECR',
      new ECRClient({ ...clients.clientConfig(), region: options.region ?? clients.region, credentials: () => clients.credentials() }),
    );
    return {
      describeImages: (input: never) => client.send(new DescribeImagesCommand(input)),
      describeRepositories: (input: never) => client.send(new DescribeRepositoriesCommand(input)),
      getAuthorizationToken: (input?: never) => client.send(new GetAuthorizationTokenCommand(input ?? {})),
    } as never;
  }

  async secretsManagerClient(): Promise<never> {
    throw new Spec3Error('ASSET_UNSUPPORTED', 'Assets that read Secrets Manager are not supported.');
  }
}

async function account(aws: AwsClients) {
  const out = await aws.sts().send(new GetCallerIdentityCommand({}));
  return { accountId: out.Account ?? '', partition: out.Arn?.split(':')[1] ?? 'aws' };
}

export interface PublishReport {
  readonly published: number;
  readonly found: number;
}

/** One asset manifest of the assembly, and the files in it that need no publishing. */
export interface AssetSource {
  readonly manifestFile: string;
  /** Absolute paths of source files not to publish, e.g. a template that is sent inline. */
  readonly skipFiles?: readonly string[];
  /** Absolute paths of the only source files to publish, e.g. one template; the other assets are left alone. */
  readonly onlyFiles?: readonly string[];
}

interface ManifestJson {
  files?: Record<string, { source?: { path?: string } }>;
  dockerImages?: Record<string, unknown>;
}

/**
 * Publishes the assets (Lambda code, large templates, container images) of the given asset manifests with the
 * official CDK asset library. Already-published assets are found by key and not uploaded again.
 * The library is loaded only when something is left to publish.
 */
export async function publishAssets(
  aws: AwsClients,
  sources: readonly AssetSource[],
  onProgress?: (message: string) => void,
): Promise<PublishReport> {
  const report = { published: 0, found: 0 };
  const selections = (await Promise.all(sources.map(selectAssets))).filter((s) => s.ids.length > 0);
  if (selections.length === 0) return report;
  const { AssetManifest, AssetPublishing, DestinationPattern, EventType } = await import('@aws-cdk/cdk-assets-lib');
  const sharedAws = new SharedAws(aws);
  await Promise.all(
    selections.map(async ({ file, ids }) => {
      const manifest = AssetManifest.fromFile(file).select(ids.map((id) => new DestinationPattern(id)));
      const publishing = new AssetPublishing(manifest, {
        aws: sharedAws,
        publishInParallel: true,
        throwOnError: false,
        subprocessOutputDestination: 'ignore',
        progressListener: {
          onPublishEvent(type, event) {
            if (type === EventType.FOUND) report.found += 1;
            if (type === EventType.UPLOAD) report.published += 1;
            if (type === EventType.UPLOAD || type === EventType.FAIL) onProgress?.(event.message);
          },
        },
      });
      await publishing.publish();
      if (publishing.hasFailures) {
        const first = publishing.failures[0]!;
        throw new Spec3Error(
          'ASSET_PUBLISH_FAILED',
          `Publishing ${first.asset.id.assetId} failed: ${first.error.message}`,
          'Check that the stage is bootstrapped (`spec3 bootstrap <stage>`) and the credentials may write to its assets bucket.',
        );
      }
    }),
  );
  return report;
}

/** The ids of the assets of one manifest that need publishing. */
async function selectAssets(source: AssetSource): Promise<{ file: string; ids: string[] }> {
  const manifest = JSON.parse(await readFile(source.manifestFile, 'utf8')) as ManifestJson;
  const dir = path.dirname(source.manifestFile);
  const skip = new Set((source.skipFiles ?? []).map((f) => path.resolve(f)));
  const only = source.onlyFiles ? new Set(source.onlyFiles.map((f) => path.resolve(f))) : undefined;
  const wanted = (file: string | undefined) => {
    const resolved = file ? path.resolve(dir, file) : undefined;
    if (only) return resolved !== undefined && only.has(resolved);
    return !(resolved && skip.has(resolved));
  };
  const files = Object.entries(manifest.files ?? {})
    .filter(([, entry]) => wanted(entry.source?.path))
    .map(([id]) => id);
  return { file: source.manifestFile, ids: [...files, ...(only ? [] : Object.keys(manifest.dockerImages ?? {}))] };
}
