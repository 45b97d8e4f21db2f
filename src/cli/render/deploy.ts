import type { ChalkInstance } from 'chalk';
import { renderDestroy } from './destroy.js';
import type { DeployResult, StackReport } from '../../commands/deploy/index.js';

const LABEL: Record<StackReport['status'], string> = {
  planned: 'would deploy',
  skipped: 'unchanged',
  created: 'created',
  updated: 'updated',
  'no-changes': 'no changes',
  failed: 'failed',
  'not-started': 'not started',
};

/** The deploy summary: each stack by phase with what happened to it. */
export function renderDeploy(result: DeployResult, c: ChalkInstance): string[] {
  const lines = [`${c.bold(`${result.project} ${result.stage}`)}  account ${result.account}  ${result.region}${result.dryRun ? c.yellow('  (dry run: nothing changed)') : ''}`];
  const width = Math.max(...result.phases.flatMap((p) => p.stacks.map((s) => s.name.length)));
  for (const phase of result.phases) {
    lines.push('', c.cyan(phase.phase));
    for (const s of phase.stacks) {
      const label = LABEL[s.status];
      const colored = s.status === 'failed' ? c.red(label) : s.status === 'skipped' || s.status === 'no-changes' ? c.dim(label) : c.green(label);
      const why = s.status === 'planned' && s.reason ? c.dim(`  (${s.action}: ${s.reason})`) : '';
      const time = s.durationMs !== undefined ? c.dim(`  ${(s.durationMs / 1000).toFixed(1)} s`) : '';
      lines.push(`  ${s.name.padEnd(width)}  ${colored}${why}${time}`);
    }
  }
  const deployed = result.phases.flatMap((p) => p.stacks).filter((s) => s.status === 'created' || s.status === 'updated').length;
  if (result.pruned) {
    lines.push('', ...renderDestroy(result.pruned, c));
  } else if (result.removed.length > 0) {
    lines.push('', c.yellow('removed from config, still deployed'));
    for (const s of result.removed) lines.push(`  ${s.name.padEnd(width)}  ${c.yellow(s.status)}`);
    lines.push(c.dim(`  \`spec3 deploy ${result.stage} --prune\` deletes them after the deploy.`));
  }
  lines.push('');
  if (result.dryRun) lines.push(`Dry run in ${(result.durationMs / 1000).toFixed(1)} s.`);
  else lines.push(`${deployed} stack(s) deployed in ${(result.durationMs / 1000).toFixed(1)} s.${result.outputsFile ? ` Outputs: ${result.outputsFile}` : ''}`);
  return lines;
}
