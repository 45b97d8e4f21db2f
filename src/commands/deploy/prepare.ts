import { readFile } from 'node:fs/promises';
import type { AssemblyStack } from '../../aws/assembly.js';
import type { AwsClients } from '../../aws/clients.js';
import { currentSsmValues, deployReason, ssmParameters } from '../../aws/cfn/skip.js';
import { describeStack, type DeployedStack } from '../../aws/cfn/stacks.js';
import { deployedTemplate, MAX_INLINE_TEMPLATE } from '../../aws/cfn/template.js';
import type { TemplateRecord } from './template-record.js';

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

export interface Preparation {
  /** What CloudFormation has for every stack of the assembly (undefined: not deployed). */
  readonly states: Map<string, DeployedStack | undefined>;
  /** The chosen stacks, each with its decision. */
  readonly prepared: PreparedStack[];
}

/**
 * Everything the decisions need, read at once: every stack of the assembly as CloudFormation has
 * it, the deployed template of each chosen stack as soon as its state is known (unless `record`
 * shows it is the local one), and the current values of the SSM parameters the local templates
 * read. Only reads; nothing changes.
 */
export async function prepareStacks(
  aws: AwsClients,
  all: readonly AssemblyStack[],
  chosen: readonly AssemblyStack[],
  record: TemplateRecord,
): Promise<Preparation> {
  const local = Promise.all(chosen.map(async (s) => JSON.parse(await readFile(s.templateFile, 'utf8')) as object));
  const localByName = local.then((templates) => new Map(chosen.map((s, i) => [s.name, templates[i]!])));
  const ssmValues = local.then((templates) => {
    const names = templates.flatMap((t) => Object.values(ssmParameters(t as never)));
    return names.length > 0 ? currentSsmValues(aws, names) : new Map<string, string>();
  });
  const remote = await Promise.all(
    all.map(async (s) => {
      const current = await describeStack(aws, s.name);
      const template = (await localByName).get(s.name);
      if (!current || !template) return { name: s.name, current, previous: undefined };
      // A template the stack is known to have need not be downloaded again.
      const previous = record.has(current, JSON.stringify(template)) ? template : await deployedTemplate(aws, s.name);
      return { name: s.name, current, previous };
    }),
  );
  const [templates, values] = await Promise.all([local, ssmValues]);
  const byName = new Map(remote.map((r) => [r.name, r]));
  const prepared = chosen.map((stack, i) => {
    const template = templates[i]!;
    const { current, previous } = byName.get(stack.name)!;
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
  return { states: new Map(remote.map((r) => [r.name, r.current])), prepared };
}
