import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { ResolvedExtensions } from '../config/extensions.js';
import { Spec3Error } from '../errors.js';
import type { StackKind } from './phases.js';

/**
 * CloudFormation's quotas on one stack's template (AWS CloudFormation User Guide, "Understand
 * CloudFormation quotas"): resources, parameters and outputs per template, and the size of a
 * template uploaded through S3, as spec3 deploys them.
 */
export const STACK_LIMITS = { resources: 500, parameters: 200, outputs: 200, templateBytes: 1_048_576 } as const;

interface Template {
  readonly Resources?: object;
  readonly Parameters?: object;
  readonly Outputs?: object;
}

/**
 * Refuses, at synth, a stack CloudFormation would refuse at deploy for its size. When raw
 * CloudFormation is part of the stack, the message says how much of it came from
 * `extensions.<kind>`, which is what a project can move or trim.
 */
export function checkStackLimits(assembly: CloudAssembly, extensions: ResolvedExtensions): void {
  for (const stack of assembly.stacks) {
    const template = stack.template as Template;
    // Stacks are named <project>-<stage>-<kind> (see naming.ts), as the plan reads them too.
    const kind = stack.stackName.split('-').pop() as StackKind;
    const raw = extensions.stacks[kind];
    const measured = [
      ['resources', Object.keys(template.Resources ?? {}).length, raw ? Object.keys(raw.resources).length : 0],
      ['parameters', Object.keys(template.Parameters ?? {}).length, 0],
      ['outputs', Object.keys(template.Outputs ?? {}).length, raw ? Object.keys(raw.outputs).length : 0],
      ['templateBytes', Buffer.byteLength(JSON.stringify(template)), 0],
    ] as const;
    for (const [what, count, fromRaw] of measured) {
      const limit = STACK_LIMITS[what];
      if (count <= limit) continue;
      const noun = what === 'templateBytes' ? 'bytes of template' : what;
      throw new Spec3Error(
        'STACK_LIMIT',
        `Stack ${stack.stackName} has ${count} ${noun}; CloudFormation allows ${limit}${fromRaw > 0 ? ` (${fromRaw} of them from extensions.${kind} in ${extensions.file})` : ''}.`,
        raw
          ? `Move some of extensions.${kind} into the block of another stack kind of the same or a later phase, or trim it, in ${extensions.file}.`
          : 'Split the stack: turn off a feature it holds, or move functions into fewer, larger ones.',
      );
    }
  }
}
