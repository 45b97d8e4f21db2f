import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { Spec3Error } from '../errors.js';
import { isPhase, phaseIndex, type Phase } from './phases.js';
import { laterPhaseError } from './wiring.js';

function phaseOf(tags: Record<string, string>, stackName: string): Phase {
  const phase = tags['spec3:phase'];
  if (!phase || !isPhase(phase)) {
    throw new Spec3Error(
      'STACK_WITHOUT_PHASE',
      `Stack ${stackName} has no spec3:phase tag, so its deploy order is unknown.`,
      'Create every stack of the embedded app as a Spec3Stack (src/stack/spec3-stack.ts).',
    );
  }
  return phase;
}

function findImports(node: unknown, out: string[]): void {
  if (Array.isArray(node)) node.forEach((n) => findImports(n, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Fn::ImportValue') out.push(JSON.stringify(value));
      else findImports(value, out);
    }
  }
}

/**
 * CDK refuses a reference that would make two stacks depend on each other before spec3 sees the
 * assembly; for spec3 stacks that is always a reference into a later phase, so it gets that name.
 */
export function asPhaseError(error: unknown): unknown {
  const message = error instanceof Error ? error.message : '';
  if (!/cyclic reference/.test(message)) return error;
  return new Spec3Error(
    'PHASE_ORDER',
    `A stack references a stack of a later phase, which would make the two depend on each other: ${message}`,
    'Move the resource that needs the later stack into a stack of that phase or later (wiring that points back at earlier phases belongs in the integrations stack).',
    { cause: error },
  );
}

/**
 * Checks a synthesized assembly against the phase rules, whatever produced the reference
 * (spec3's wiring or a direct CDK cross-stack token): no stack depends on a stack of a later
 * phase, and no stack imports a CloudFormation export.
 */
export function checkPhases(assembly: CloudAssembly): void {
  for (const stack of assembly.stacks) {
    const phase = phaseOf(stack.tags, stack.stackName);
    for (const dep of stack.dependencies) {
      const target = assembly.stacks.find((s) => s.id === dep.id);
      if (!target) continue;
      const targetPhase = phaseOf(target.tags, target.stackName);
      if (phaseIndex(targetPhase) > phaseIndex(phase)) {
        throw laterPhaseError(stack.stackName, phase, target.stackName, targetPhase, 'a cross-stack reference');
      }
    }
    const imports: string[] = [];
    findImports(stack.template, imports);
    if (imports.length > 0) {
      throw new Spec3Error(
        'CROSS_STACK_EXPORT',
        `Stack ${stack.stackName} imports CloudFormation export(s) ${imports.join(', ')}; spec3 stacks exchange values through SSM parameters so that no stack is ever locked by an export in use.`,
        'Publish the value with wiring.publish(...) in the producing stack and read it with wiring.consume(...).',
      );
    }
  }
}
