import type { ChalkInstance } from 'chalk';
import type { DestroyPlan, DestroyResult, RetainedResource, StackDestroyReport } from '../../commands/destroy/index.js';

const LABEL: Record<StackDestroyReport['status'], string> = {
  planned: 'not deleted',
  deleted: 'deleted',
  failed: 'failed',
  'not-started': 'not started',
};

const header = (r: { project: string; stage: string; account: string; region: string }, c: ChalkInstance): string =>
  `${c.bold(`${r.project} ${r.stage}`)}  account ${r.account}  ${r.region}`;

function retainedLines(retained: readonly RetainedResource[], c: ChalkInstance): string[] {
  const width = Math.max(...retained.map((r) => r.type.length));
  return retained.map((r) => `  ${r.type.padEnd(width)}  ${r.physicalId}  ${c.dim(`(${r.stack} ${r.logicalId}, ${r.policy})`)}`);
}

/** What a destroy will do, shown before the confirmation: account, region, stacks, data kept and lost. */
export function renderDestroyPlan(plan: DestroyPlan, c: ChalkInstance): string[] {
  const lines = [`${c.red.bold('Destroy')} ${header(plan, c)}${plan.phase ? `  phase ${plan.phase}` : ''}`];
  if (plan.protected) lines.push(c.yellow(`Protected stage: ${plan.protectedBy.join('; ')}`));
  lines.push('', 'Stacks to delete, in this order:');
  const width = Math.max(...plan.phases.flatMap((p) => p.stacks.map((s) => s.name.length)));
  for (const phase of plan.phases) {
    lines.push(`  ${c.cyan(phase.phase)}`);
    for (const s of phase.stacks) {
      const notes = [
        s.terminationProtection ? c.yellow('termination protection') : '',
        s.after.length > 0 ? c.dim(`after ${s.after.join(', ')}`) : '',
      ].filter(Boolean);
      lines.push(`    ${s.name.padEnd(width)}  ${c.dim(s.status)}${notes.length > 0 ? `  ${notes.join('  ')}` : ''}`);
    }
  }
  if (plan.tables.length > 0) {
    lines.push('', c.red('Tables deleted with every item:'));
    for (const t of plan.tables) {
      const items = t.items !== undefined ? `about ${t.items} item(s)` : 'item count unknown';
      lines.push(`  ${t.table}  ${items}${t.deletionProtection ? c.yellow('  deletion protection on') : ''}  ${c.dim(`(${t.stack} ${t.logicalId})`)}`);
    }
  }
  if (plan.buckets.length > 0) {
    lines.push('', c.red('Buckets emptied (every object version) and deleted:'));
    for (const b of plan.buckets) {
      const count = `${b.moreVersions ? 'more than ' : ''}${b.versions} object version(s) and delete marker(s)`;
      lines.push(`  ${b.bucket}  ${count}  ${c.dim(`(${b.stack} ${b.logicalId})`)}`);
    }
  }
  for (const f of plan.finishing) {
    lines.push('', `${f.stack} failed to delete before; already gone, so retained when it is deleted again: ${f.retain.join(', ')}`);
  }
  const lifted = plan.blockers.filter((b) => b.liftedByAllowProtected);
  if (lifted.length > 0) {
    lines.push('', c.yellow('Protection that --allow-protected lifts:'), ...lifted.map((b) => `  ${b.problem}`));
  }
  if (plan.unchecked.length > 0) lines.push('', c.yellow('Not checked:'), ...plan.unchecked.map((u) => `  ${u}`));
  lines.push('');
  if (plan.retained.length > 0) lines.push(c.green('Retained (left in the account):'), ...retainedLines(plan.retained, c));
  if (plan.retainedUnknown.length > 0) {
    lines.push(c.yellow(`Retained: unknown for ${plan.retainedUnknown.join(', ')} (the deployed template could not be read).`));
  } else if (plan.retained.length === 0) {
    lines.push('Retained: nothing; every resource of these stacks is deleted.');
  }
  return lines;
}

/** The destroy summary: each stack by phase with what happened, and what was left in place. */
export function renderDestroy(result: DestroyResult, c: ChalkInstance): string[] {
  if (result.nothingToDestroy) {
    return [
      `Nothing to destroy: stage ${result.stage} has no deployed stack${result.phase ? ` in phase ${result.phase}` : ''} in account ${result.account}, ${result.region}.`,
    ];
  }
  const lines = [header(result, c)];
  const width = Math.max(...result.phases.flatMap((p) => p.stacks.map((s) => s.name.length)));
  for (const phase of result.phases) {
    lines.push('', c.cyan(phase.phase));
    for (const s of phase.stacks) {
      const label = LABEL[s.status];
      const time = s.durationMs !== undefined ? c.dim(`  ${(s.durationMs / 1000).toFixed(1)} s`) : '';
      lines.push(`  ${s.name.padEnd(width)}  ${s.status === 'deleted' ? c.green(label) : c.red(label)}${time}`);
      if (s.retainedGone) lines.push(c.dim(`    finished its failed delete; retained ${s.retainedGone.join(', ')}, which were already gone`));
    }
  }
  if (result.emptied.length > 0) lines.push('');
  for (const b of result.emptied) lines.push(`Emptied ${b.bucket}: ${b.objects} object version(s) and delete marker(s) deleted.`);
  if (result.retained.length > 0) lines.push('', 'Retained (still in the account; delete them yourself when no longer needed):', ...retainedLines(result.retained, c));
  const deleted = result.phases.flatMap((p) => p.stacks).filter((s) => s.status === 'deleted').length;
  lines.push(
    '',
    `${deleted} stack(s) deleted in ${(result.durationMs / 1000).toFixed(1)} s.${result.outputsFile ? ` Removed from ${result.outputsFile}.` : ''}`,
  );
  return lines;
}
