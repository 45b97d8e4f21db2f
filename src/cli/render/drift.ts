import type { ChalkInstance } from 'chalk';
import type { DriftResult, StackDriftReport } from '../../commands/drift/index.js';

const short = (value: string | undefined): string => {
  if (value === undefined) return '(none)';
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
};

/** "4 AWS::EC2::Subnet, 1 AWS::EC2::VPC": the full list is in --json. */
function byType(resources: readonly { type: string }[]): string {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].map(([type, n]) => `${n} ${type}`).join(', ');
}

function stackLine(s: StackDriftReport, width: number, c: ChalkInstance): string {
  const verdict = {
    IN_SYNC: c.green('in sync'),
    DRIFTED: c.yellow(`drifted (${s.drifted.length} resource(s))`),
    NOT_DEPLOYED: c.dim('not deployed'),
    FAILED: c.red('check failed'),
  }[s.status];
  return `  ${s.name.padEnd(width)}  ${verdict}`;
}

/** The report: per stack the verdict, each drifted resource with its differences, what was not checked, undeployed changes, errors. */
export function renderDrift(r: DriftResult, c: ChalkInstance): string[] {
  const lines = [`${c.bold(`${r.project} ${r.stage}`)}  account ${r.account}  ${r.region}`, ''];
  const width = Math.max(...r.stacks.map((s) => s.name.length));
  for (const s of r.stacks) {
    lines.push(stackLine(s, width, c));
    for (const d of s.drifted) {
      lines.push(`      ${c.yellow(d.status === 'DELETED' ? 'deleted ' : 'modified')} ${d.logicalId} ${c.dim(`(${d.type}${d.physicalId ? `, ${d.physicalId}` : ''})`)}`);
      for (const p of d.differences) {
        const change = p.kind === 'ADD' ? `added ${short(p.actual)}` : p.kind === 'REMOVE' ? `removed (was ${short(p.expected)})` : `${short(p.expected)} -> ${short(p.actual)}`;
        lines.push(`          ${p.path}: ${change}`);
      }
    }
    if (s.templateDrift && s.status !== 'NOT_DEPLOYED') lines.push(`      ${c.yellow('undeployed changes')}: ${s.templateDrift}`);
    if (s.notChecked.length > 0) lines.push(c.dim(`      not checked: ${byType(s.notChecked)}`));
    if (s.error) lines.push(`      ${c.red(s.error.message)}${s.error.hint ? c.dim(`\n      ${s.error.hint}`) : ''}`);
  }
  lines.push('');
  const checked = r.stacks.length;
  if (r.failed > 0) lines.push(c.red(`${r.failed} of ${checked} stack(s) could not be checked.`));
  if (r.drifted > 0) lines.push(c.yellow(`${r.drifted} of ${checked} stack(s) drifted or have undeployed changes.`));
  if (r.failed === 0 && r.drifted === 0) lines.push(c.green(`All ${checked} stack(s) in sync.`));
  lines.push(c.dim(`Checked in ${(r.durationMs / 1000).toFixed(1)} s.`));
  return lines;
}
