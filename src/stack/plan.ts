import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { PHASES, type Phase } from './phases.js';

export interface PlannedStack {
  readonly name: string;
  readonly kind: string;
  readonly phase: Phase;
  /** Stacks of the same phase that must be deployed first. */
  readonly dependsOn: readonly string[];
  readonly resources: number;
  /** Template path, relative to the assembly directory. */
  readonly template: string;
  readonly terminationProtection: boolean;
}

export interface PlannedPhase {
  readonly phase: Phase;
  readonly stacks: readonly PlannedStack[];
}

/**
 * The deployment plan as data: phases in order, and inside each phase the stacks ordered so that
 * every stack comes after those it depends on (stacks without such a dependency can run in parallel).
 */
export function planFromAssembly(assembly: CloudAssembly): PlannedPhase[] {
  const all = assembly.stacks.map((s) => {
    const phase = s.tags['spec3:phase'] as Phase;
    const kind = s.stackName.split('-').pop() ?? s.stackName;
    return {
      name: s.stackName,
      kind,
      phase,
      dependsOn: s.dependencies
        .map((d) => assembly.stacks.find((x) => x.id === d.id))
        .filter((d): d is NonNullable<typeof d> => Boolean(d) && d!.tags['spec3:phase'] === phase)
        .map((d) => d.stackName),
      resources: Object.keys((s.template as { Resources?: object }).Resources ?? {}).length,
      template: s.templateFile,
      terminationProtection: Boolean(s.terminationProtection),
    } satisfies PlannedStack;
  });
  return PHASES.map((phase) => ({ phase, stacks: topological(all.filter((s) => s.phase === phase)) })).filter(
    (p) => p.stacks.length > 0,
  );
}

function topological(stacks: PlannedStack[]): PlannedStack[] {
  const done = new Set<string>();
  const out: PlannedStack[] = [];
  let pending = [...stacks];
  while (pending.length > 0) {
    const ready = pending.filter((s) => s.dependsOn.every((d) => done.has(d)));
    if (ready.length === 0) throw new Error(`Dependency cycle among ${pending.map((s) => s.name).join(', ')}`);
    for (const s of ready) {
      done.add(s.name);
      out.push(s);
    }
    pending = pending.filter((s) => !done.has(s.name));
  }
  return out;
}
