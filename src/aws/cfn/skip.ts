import { isDeepStrictEqual } from 'node:util';
import { GetParametersCommand } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../clients.js';
import type { DeployedStack } from './stacks.js';

interface TemplateParameter {
  Type?: string;
  Default?: string;
  Description?: string;
}

/** Parameters whose SSM value may change without the template changing. `[cdk:skip]` marks ones CDK itself ignores (the bootstrap version). */
export function ssmParameters(template: { Parameters?: Record<string, TemplateParameter> }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, p] of Object.entries(template.Parameters ?? {})) {
    if (p.Type?.startsWith('AWS::SSM::Parameter::Value') && p.Default && !p.Description?.includes('[cdk:skip]')) {
      out[key] = p.Default;
    }
  }
  return out;
}

/** Current values of SSM parameters by name (10 per call, the API's limit). Missing names are absent. */
export async function currentSsmValues(aws: AwsClients, names: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(names)];
  const values = new Map<string, string>();
  const batches = [];
  for (let i = 0; i < unique.length; i += 10) batches.push(unique.slice(i, i + 10));
  await Promise.all(
    batches.map(async (Names) => {
      const out = await aws.ssm().send(new GetParametersCommand({ Names }));
      for (const p of out.Parameters ?? []) if (p.Name && p.Value !== undefined) values.set(p.Name, p.Value);
    }),
  );
  return values;
}

export interface SkipInput {
  readonly template: object;
  readonly tags: Readonly<Record<string, string>>;
  readonly terminationProtection: boolean;
}

/**
 * Why the stack must be deployed, or undefined when it can be skipped without a change set: same
 * template, same tags, same protection, and every SSM-typed parameter still resolving to the value
 * the stack was deployed with (a foundation value that changed must reach the stacks that read it).
 */
export function deployReason(
  input: SkipInput,
  deployed: DeployedStack | undefined,
  deployedTemplate: object | undefined,
  ssmValues: ReadonlyMap<string, string>,
): string | undefined {
  if (!deployed) return 'new stack';
  if (!['CREATE_COMPLETE', 'UPDATE_COMPLETE'].includes(deployed.status)) return `stack is ${deployed.status}`;
  if (!deployedTemplate || !isDeepStrictEqual(deployedTemplate, input.template)) return 'template changed';
  if (!isDeepStrictEqual(sorted(deployed.tags), sorted(input.tags))) return 'tags changed';
  if (deployed.terminationProtection !== input.terminationProtection) return 'termination protection changed';
  for (const [key, name] of Object.entries(ssmParameters(input.template as never))) {
    const used = deployed.parameters[key]?.resolved;
    if (used === undefined || used !== ssmValues.get(name)) return `parameter ${name} changed`;
  }
  return undefined;
}

function sorted(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
