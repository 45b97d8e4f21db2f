import { readFile } from 'node:fs/promises';
import type { AssemblyStack } from '../../aws/assembly.js';
import type { AwsClients } from '../../aws/clients.js';
import { currentSsmValues, deployReason, ssmParameters } from '../../aws/cfn/skip.js';
import type { DeployedStack } from '../../aws/cfn/stacks.js';
import { deployedTemplate, MAX_INLINE_TEMPLATE } from '../../aws/cfn/template.js';

/** One stack of the run, with everything needed to decide and to deploy. */
export interface PreparedStack {
  readonly stack: AssemblyStack;
  readonly template: object;
  /** The minified body sent to CloudFormation. */
  readonly body: string;
  readonly inline: boolean;
  readonly deployed: DeployedStack | undefined;
  readonly deployedTemplate: object | undefined;
  /** Why it must be deployed; undefined when it is skipped. */
  readonly reason: string | undefined;
}

/**
 * Reads each stack's template and, for deployed stacks, the template and parameter values
 * CloudFormation holds, in parallel, then decides which stacks can be skipped.
 */
export async function prepareStacks(
  aws: AwsClients,
  stacks: readonly AssemblyStack[],
  deployed: ReadonlyMap<string, DeployedStack | undefined>,
): Promise<PreparedStack[]> {
  const loaded = await Promise.all(
    stacks.map(async (stack) => {
      const template = JSON.parse(await readFile(stack.templateFile, 'utf8')) as object;
      const current = deployed.get(stack.name);
      const previous = current ? await deployedTemplate(aws, stack.name) : undefined;
      return { stack, template, current, previous };
    }),
  );
  const names = loaded.filter((l) => l.current).flatMap((l) => Object.values(ssmParameters(l.template as never)));
  const values = names.length > 0 ? await currentSsmValues(aws, names) : new Map<string, string>();
  return loaded.map(({ stack, template, current, previous }) => {
    const body = JSON.stringify(template);
    return {
      stack,
      template,
      body,
      inline: Buffer.byteLength(body) <= MAX_INLINE_TEMPLATE,
      deployed: current,
      deployedTemplate: previous,
      reason: deployReason({ template, tags: stack.tags, terminationProtection: stack.terminationProtection }, current, previous, values),
    };
  });
}
