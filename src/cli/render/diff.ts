import type { ChalkInstance } from 'chalk';
import type { DiffResult, StackDiff } from '../../commands/diff/index.js';
import { PHASES } from '../../stack/phases.js';

/** Section titles of the CDK diff library's rendering. */
const SECTION = /^(Template|IAM Statement Changes|IAM Policy Changes|Security Group Changes|Parameters|Metadata|Mappings|Conditions|Resources|Outputs|Other Changes)$/;

/**
 * Stacks by phase: unchanged ones on one line, changed and new ones with the CDK diff library's
 * rendering below them, then the SSM parameters and stack settings a deploy would pass on, and
 * CloudFormation's change set when one was asked for.
 */
export function renderDiff(result: DiffResult, c: ChalkInstance): string[] {
  const lines = [`${c.bold(`${result.project} ${result.stage}`)}  account ${result.account}  ${result.region}`];
  const width = Math.max(...result.stacks.map((s) => s.name.length));
  const blank = () => {
    if (lines.at(-1) !== '') lines.push('');
  };
  for (const phase of PHASES) {
    const stacks = result.stacks.filter((s) => s.phase === phase);
    if (stacks.length === 0) continue;
    blank();
    lines.push(c.cyan(phase));
    for (const s of stacks) {
      lines.push(`  ${s.name.padEnd(width)}  ${label(s, c)}`);
      if (s.status === 'unchanged') continue;
      lines.push(...stackDetails(s, c).map((line) => (line ? `    ${line}` : '')));
      // A changed stack's details end with a blank line, so the next stack stands out.
      blank();
    }
  }
  const changed = result.stacks.filter((s) => s.status !== 'unchanged');
  if (result.removed.length > 0) {
    blank();
    lines.push(c.yellow('removed from config, still deployed'));
    for (const s of result.removed) lines.push(`  ${s.name.padEnd(width)}  ${c.red('removed from config')}  ${c.dim(s.status)}`);
    lines.push(c.dim(`  \`spec3 deploy ${result.stage} --prune\` deletes them after the deploy.`));
  }
  blank();
  lines.push(
    changed.length === 0 && result.removed.length === 0
      ? c.green(`No differences in ${result.stacks.length} stack(s).`)
      : [
          changed.length > 0 ? `${changed.length} of ${result.stacks.length} stack(s) would change: ${changed.map((s) => s.name).join(', ')}` : '',
          result.removed.length > 0 ? `${result.removed.length} stack(s) removed from config: ${result.removed.map((s) => s.name).join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
  );
  return lines;
}

function label(s: StackDiff, c: ChalkInstance): string {
  if (s.status === 'unchanged') return c.dim('no differences');
  const widens = s.security.broadened ? c.yellow('  widens access (IAM or security groups)') : '';
  if (s.status === 'new') return `${c.green('new')}${s.stackStatus ? c.dim(` (replaces the ${s.stackStatus} stack)`) : ''}${widens}`;
  return `${c.yellow('changed')}${widens}`;
}

function stackDetails(s: StackDiff, c: ChalkInstance): string[] {
  const lines = s.text
    .replace(/\n+$/, '')
    .split('\n')
    .filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''))
    .map((line) => colorLine(line, c));
  for (const name of s.parameters ?? []) lines.push(`${c.yellow('[~]')} SSM parameter ${name} changed since the stack was deployed`);
  for (const setting of s.settings ?? []) lines.push(`${c.yellow('[~]')} ${setting}`);
  if (s.changeSetSkipped) lines.push('', c.dim(`Change set: ${s.changeSetSkipped}`));
  if (s.changeSet) {
    lines.push('', c.bold(`CloudFormation change set (deleted after reading): ${s.changeSet.length} resource change(s)`));
    for (const change of s.changeSet) {
      const replacement = change.replacement ? `  replacement ${replacementLabel(change.replacement, c)}` : '';
      const scope = change.scope.length > 0 ? `  scope ${change.scope.join(', ')}` : '';
      lines.push(`  ${action(change.action, c)} ${change.type} ${change.logicalId}${replacement}${scope}`);
      for (const d of change.details) lines.push(c.dim(`      ${d}`));
    }
  }
  return lines;
}

function replacementLabel(value: string, c: ChalkInstance): string {
  if (value === 'True') return c.red(value);
  return value === 'Conditional' ? c.yellow(value) : value;
}

function action(name: string, c: ChalkInstance): string {
  if (name === 'Add') return c.green(name.padEnd(6));
  if (name === 'Remove') return c.red(name.padEnd(6));
  return c.yellow(name.padEnd(6));
}

/** The library's own markers, coloured as `cdk diff` colours them. */
function colorLine(line: string, c: ChalkInstance): string {
  if (SECTION.test(line)) return c.bold.underline(line);
  return line.replace(/\[\+\]/g, c.green('[+]')).replace(/\[-\]/g, c.red('[-]')).replace(/\[~\]/g, c.yellow('[~]'));
}
