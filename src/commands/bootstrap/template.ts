import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * The standard CDK bootstrap template, read from the CDK CLI package that spec3 depends on (the
 * file `cdk bootstrap` itself deploys, exported by that package for this use).
 */
export async function bootstrapTemplate(): Promise<{ body: string; version: number; parameters: string[] }> {
  const require = createRequire(import.meta.url);
  const file = require.resolve('aws-cdk/lib/api/bootstrap/bootstrap-template.yaml');
  const body = await readFile(file, 'utf8');
  return { body, version: templateVersion(body), parameters: parameterNames(body) };
}

/** The version the template writes to `/cdk-bootstrap/<qualifier>/version`. */
export function templateVersion(yaml: string): number {
  const match = /CdkBootstrapVersion:[\s\S]*?Value:\s*'?(\d+)'?/.exec(yaml);
  if (!match) throw new Error('The CDK bootstrap template has no CdkBootstrapVersion value');
  return Number(match[1]);
}

/** Top-level parameter names of the template (two-space-indented keys under `Parameters:`). */
export function parameterNames(yaml: string): string[] {
  const section = /^Parameters:\n([\s\S]*?)^\S/m.exec(yaml)?.[1] ?? '';
  return [...section.matchAll(/^ {2}([A-Za-z0-9]+):\s*$/gm)].map((m) => m[1]!);
}
