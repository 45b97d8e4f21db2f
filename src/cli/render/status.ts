import type { ChalkInstance } from 'chalk';
import { describeHolder } from '../../aws/lock-holder.js';
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
  if (r.lock) {
    const who = describeHolder(r.lock.holder, new Date());
    if (r.lock.state === 'gone') lines.push(c.red(`Locked by ${who}: abandoned, that process no longer runs on this machine. Clear it with \`${r.lock.unlock}\`.`));
    else if (r.lock.state === 'alive') lines.push(c.yellow(`Locked by ${who}, still running on this machine.`));
    else lines.push(c.yellow(`Locked by ${who}. If that run is gone, clear it with \`${r.lock.unlock}\`.`));
  }
  if (r.lockUnknown) lines.push(c.dim(`Lock: unknown (${r.lockUnknown})`));
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
