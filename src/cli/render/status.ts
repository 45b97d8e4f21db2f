import type { ChalkInstance } from 'chalk';
import type { StatusResult } from '../../commands/status/index.js';

function colorStatus(status: string, c: ChalkInstance): string {
  if (status === 'NOT_DEPLOYED') return c.dim('not deployed');
  if (/FAILED|ROLLBACK/.test(status)) return c.red(status);
  if (status.endsWith('_IN_PROGRESS')) return c.yellow(status);
  return c.green(status);
}

/** Stacks by phase: status, last update, drift, then outputs indented below each stack. */
export function renderStatus(r: StatusResult, c: ChalkInstance): string[] {
  const lines = [`${c.bold(`${r.project} ${r.stage}`)}  account ${r.account}  ${r.region}  ${r.deployed}/${r.total} stacks deployed`];
  const width = Math.max(...r.phases.flatMap((p) => p.stacks.map((s) => s.name.length)));
  for (const phase of r.phases) {
    lines.push('', c.cyan(phase.phase));
    for (const s of phase.stacks) {
      const when = s.lastUpdated ? c.dim(`  ${s.lastUpdated.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}`) : '';
      const drift = s.drift ? `  drift ${s.drift === 'IN_SYNC' ? c.green(s.drift) : c.yellow(s.drift)}` : '';
      const guard = s.terminationProtection ? c.yellow('  protected') : '';
      const removed = s.removedFromConfig ? c.red(`  removed from config (\`spec3 deploy ${r.stage} --prune\` deletes it)`) : '';
      lines.push(`  ${s.name.padEnd(width)}  ${colorStatus(s.status, c)}${when}${drift}${guard}${removed}`);
      if (s.reason && /FAILED|ROLLBACK/.test(s.status)) lines.push(c.dim(`    ${s.reason}`));
      for (const [key, value] of Object.entries(s.outputs)) lines.push(c.dim(`    ${key} = ${value}`));
    }
  }
  return lines;
}
