import type { AssemblyStack } from '../aws/assembly.js';
import { Spec3Error } from '../errors.js';
import { parsePhase } from '../stack/phases.js';

export interface Selection {
  readonly phase?: string;
  readonly stacks?: readonly string[];
}

/** The stacks a command works on (`--phase`, `--stack`), in assembly order, after checking the flags name real ones. */
export function selectStacks(all: readonly AssemblyStack[], selection: Selection, stage: string): AssemblyStack[] {
  let chosen = [...all];
  const phase = parsePhase(selection.phase);
  if (phase) chosen = chosen.filter((s) => s.phase === phase);
  if (selection.stacks && selection.stacks.length > 0) {
    const names = new Set(all.map((s) => s.name));
    const unknown = selection.stacks.filter((n) => !names.has(n) && !names.has(`${prefixOf(all)}${n}`));
    if (unknown.length > 0) {
      throw new Spec3Error(
        'UNKNOWN_STACK',
        `--stack ${unknown.join(' ')}: stage ${stage} has no stack ${unknown.map((n) => `"${n}"`).join(', ')}.`,
        `Stacks of ${stage}: ${all.map((s) => s.name).join(', ')} (the short kind, e.g. "compute", works too).`,
      );
    }
    const wanted = new Set(selection.stacks.flatMap((n) => [n, `${prefixOf(all)}${n}`]));
    chosen = chosen.filter((s) => wanted.has(s.name));
  }
  return chosen;
}

/** `<project>-<stage>-` shared by every stack name. */
function prefixOf(all: readonly AssemblyStack[]): string {
  const first = all[0]?.name ?? '';
  return first.slice(0, first.lastIndexOf('-') + 1);
}
