import type { ChalkInstance } from 'chalk';
import type { PlannedStack } from '../../stack/plan.js';

export interface PlanView {
  readonly project: string;
  readonly stage: string;
  readonly account: string;
  readonly region: string;
  readonly phases: readonly { readonly phase: string; readonly stacks: readonly Omit<PlannedStack, 'template'>[] }[];
}

/** Stacks grouped by phase, with resource counts and in-phase ordering. */
export function renderPlan(view: PlanView, c: ChalkInstance): string[] {
  const lines = [`${c.bold(`${view.project} ${view.stage}`)}  account ${view.account}  ${view.region}`];
  const width = Math.max(...view.phases.flatMap((p) => p.stacks.map((s) => s.name.length)));
  view.phases.forEach((phase, i) => {
    lines.push('', `${c.cyan(`${i + 1}. ${phase.phase}`)}`);
    for (const s of phase.stacks) {
      const after = s.dependsOn.length > 0 ? c.dim(`  after ${s.dependsOn.join(', ')}`) : '';
      const guard = s.terminationProtection ? c.yellow('  termination-protected') : '';
      lines.push(`   ${s.name.padEnd(width)}  ${String(s.resources).padStart(3)} resources${after}${guard}`);
    }
  });
  return lines;
}
