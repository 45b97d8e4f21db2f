import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Spec3Error } from '../errors.js';
import { isPhase, PHASES, type Phase } from '../stack/phases.js';

/** What the deploy engine needs of one stack artifact in a cloud assembly. */
export interface AssemblyStack {
  readonly name: string;
  readonly phase: Phase;
  readonly account: string;
  readonly region: string;
  /** Absolute path of the template file. */
  readonly templateFile: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly terminationProtection: boolean;
  /** Stacks (by name) this one depends on, any phase. */
  readonly dependsOn: readonly string[];
  /** Absolute paths of the asset manifests this stack needs published first. */
  readonly assetManifests: readonly string[];
  readonly deployRoleArn?: string;
  /** The bootstrap role with read-only access to the account (diff, drift). */
  readonly lookupRoleArn?: string;
  readonly executionRoleArn?: string;
  /** `s3://bucket/key` of the template, published with the assets (used when it is too big to inline). */
  readonly templateObjectUrl?: string;
  readonly requiresBootstrapVersion: number;
  readonly bootstrapVersionParameter?: string;
}

export interface Assembly {
  readonly dir: string;
  readonly stacks: readonly AssemblyStack[];
}

interface ManifestArtifact {
  type: string;
  environment?: string;
  properties?: Record<string, unknown>;
  dependencies?: string[];
  displayName?: string;
}

/**
 * Reads `manifest.json` directly: the deploy path never loads aws-cdk-lib, so a deploy of an
 * assembly synthesized earlier (`--assembly`) starts in a fraction of a second.
 */
export async function readAssembly(dir: string): Promise<Assembly> {
  const manifestFile = path.join(dir, 'manifest.json');
  let manifest: { artifacts?: Record<string, ManifestArtifact> };
  try {
    manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
  } catch (error) {
    throw new Spec3Error(
      'NO_ASSEMBLY',
      `${manifestFile} could not be read: ${(error as Error).message}`,
      'Point --assembly at a directory written by `spec3 synth`.',
    );
  }
  const artifacts = manifest.artifacts ?? {};
  const stacks: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const p = artifact.properties ?? {};
    const tags = (p.tags ?? {}) as Record<string, string>;
    const phase = tags['spec3:phase'];
    if (!phase || !isPhase(phase)) {
      throw new Spec3Error(
        'NOT_SPEC3_ASSEMBLY',
        `Stack ${id} in ${manifestFile} has no spec3 phase tag (one of ${PHASES.join(', ')}).`,
        'Deploy assemblies written by `spec3 synth`.',
      );
    }
    const [, account = '', region = ''] = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '') ?? [];
    const deps = artifact.dependencies ?? [];
    const name = (p.stackName as string | undefined) ?? artifact.displayName ?? id;
    stacks.push({
      name,
      phase,
      account,
      region,
      templateFile: path.join(dir, p.templateFile as string),
      tags,
      terminationProtection: Boolean(p.terminationProtection),
      dependsOn: deps.filter((d) => artifacts[d]?.type === 'aws:cloudformation:stack'),
      assetManifests: deps
        .filter((d) => artifacts[d]?.type === 'cdk:asset-manifest')
        .map((d) => path.join(dir, artifacts[d]!.properties!.file as string)),
      deployRoleArn: resolveArn(p.assumeRoleArn, region),
      lookupRoleArn: resolveArn((p.lookupRole as { arn?: string } | undefined)?.arn, region),
      executionRoleArn: resolveArn(p.cloudFormationExecutionRoleArn, region),
      templateObjectUrl: p.stackTemplateAssetObjectUrl as string | undefined,
      requiresBootstrapVersion: Number(p.requiresBootstrapStackVersion ?? 0),
      bootstrapVersionParameter: p.bootstrapStackVersionSsmParameter as string | undefined,
    });
  }
  // Stack ids and names are the same in spec3 assemblies; map dependencies to names regardless.
  const nameOf = new Map(Object.entries(artifacts).map(([id, a]) => [id, (a.properties?.stackName as string) ?? a.displayName ?? id]));
  return { dir, stacks: stacks.map((s) => ({ ...s, dependsOn: s.dependsOn.map((d) => nameOf.get(d) ?? d) })) };
}

/** The synthesizer leaves `${AWS::Partition}` in role ARNs; spec3 deploys to the `aws` partition. */
function resolveArn(value: unknown, region: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return value.replace('${AWS::Partition}', partition);
}

/** What a stage's stacks must be for: the project and stage (their tags and names), account and region. */
export interface AssemblyTarget {
  readonly project: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
}

/**
 * Refuses an assembly synthesized for another project, stage, account or region: deploying it
 * would put another stage's stacks under this stage's lock and into its `.spec3/<stage>/` files.
 * What a stack is for is read from what synthesis recorded: the `project` and `stage` tags every
 * spec3 stack carries, its `<project>-<stage>-<kind>` name and its `aws://account/region`
 * environment.
 */
export function assertAssemblyFor(assembly: Assembly, target: AssemblyTarget): void {
  if (assembly.stacks.length === 0) {
    throw new Spec3Error(
      'NOT_SPEC3_ASSEMBLY',
      `${path.join(assembly.dir, 'manifest.json')} lists no stack.`,
      `Run \`spec3 synth ${target.name}\` and pass --assembly cdk.out/${target.name}, or leave out --assembly.`,
    );
  }
  const wanted = describeTarget(target);
  for (const stack of assembly.stacks) {
    const found = {
      project: stack.tags.project ?? '(none)',
      name: stack.tags.stage ?? '(none)',
      account: stack.account || '(none)',
      region: stack.region || '(none)',
    };
    const named = stack.name.startsWith(`${target.project}-${target.name}-`);
    if (named && describeTarget(found) === wanted) continue;
    throw new Spec3Error(
      'ASSEMBLY_MISMATCH',
      `The assembly in ${assembly.dir} is for ${describeTarget(found)} (stack ${stack.name}), not for ${wanted}.`,
      `Run \`spec3 synth ${target.name}\` and pass --assembly cdk.out/${target.name}, or leave out --assembly to synthesize ${target.name} now.`,
    );
  }
}

const describeTarget = (t: AssemblyTarget): string => `project ${t.project}, stage ${t.name}, account ${t.account}, region ${t.region}`;
