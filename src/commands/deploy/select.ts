import type { AssemblyStack } from '../../aws/assembly.js';
import { isDeployed, type DeployedStack } from '../../aws/cfn/stacks.js';
import { Spec3Error } from '../../errors.js';
import { PHASES, phaseIndex, type Phase } from '../../stack/phases.js';
import { spec3Command, type RunTarget } from '../rerun.js';

/**
 * Refuses a deploy whose earlier phases (or, for --stack, dependencies) are not in place: the
 * stacks it reads from would be missing, and CloudFormation would fail halfway through.
 */
export function checkPrerequisites(
  all: readonly AssemblyStack[],
  chosen: readonly AssemblyStack[],
  deployed: ReadonlyMap<string, DeployedStack | undefined>,
  stage: string,
  rerun: RunTarget,
): void {
  const inRun = new Set(chosen.map((s) => s.name));
  const ready = (name: string) => inRun.has(name) || isDeployed(deployed.get(name)?.status ?? '');
  const firstPhase = Math.min(...chosen.map((s) => phaseIndex(s.phase)));
  for (const phase of PHASES.slice(0, firstPhase) as Phase[]) {
    const missing = all.filter((s) => s.phase === phase && !ready(s.name));
    if (missing.length > 0) {
      const later = PHASES[firstPhase];
      throw new Spec3Error(
        'PHASE_NOT_DEPLOYED',
        `Phase ${later} needs phase ${phase} deployed first; not deployed: ${missing.map((s) => describe(s.name, deployed)).join(', ')}.`,
        `Run \`${spec3Command(rerun, 'deploy', stage, '--phase', phase)}\` (or \`${spec3Command(rerun, 'deploy', stage)}\` for every phase in order).`,
      );
    }
  }
  for (const stack of chosen) {
    const missing = stack.dependsOn.filter((d) => !ready(d));
    if (missing.length > 0) {
      throw new Spec3Error(
        'DEPENDENCY_NOT_DEPLOYED',
        `${stack.name} depends on ${missing.map((n) => describe(n, deployed)).join(', ')}.`,
        `Deploy ${missing.length > 1 ? 'them' : 'it'} first, or leave out --stack to deploy the stage in order.`,
      );
    }
  }
}

function describe(name: string, deployed: ReadonlyMap<string, DeployedStack | undefined>): string {
  const status = deployed.get(name)?.status;
  return status ? `${name} (${status})` : `${name} (not created)`;
}
