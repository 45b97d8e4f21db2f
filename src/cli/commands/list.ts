import type { Command } from 'commander';
import type { RunState } from '../program.js';
import { renderPlan } from '../render/plan.js';
import { runCommand } from '../run-command.js';
import type { Terminal } from '../terminal.js';
import { withValidation } from './synth.js';

interface ListFlags {
  readonly config?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

export function registerList(program: Command, t: Terminal, state: RunState): void {
  program
    .command('list')
    .alias('ls')
    .description("Print a stage's phase plan: which stacks deploy in which phase and order.")
    .argument('<stage>', 'stage to plan, e.g. dev')
    .option('-c, --config <file>', 'config file (default: spec3.config.json here or in the nearest directory above)')
    .option('--json', 'print the plan as JSON')
    .option('-v, --verbose', 'show debug messages')
    .addHelpText(
      'after',
      `
Examples:
  $ spec3 list dev
  $ spec3 list prod --json

Exit codes: 0 success, 1 error.`,
    )
    .action(async (stage: string, flags: ListFlags) => {
      await runCommand(
        t,
        state,
        flags,
        async (ctx) => {
          const { run } = await import('../../commands/list/index.js');
          return run({ stage, config: flags.config }, withValidation(ctx, false));
        },
        (result, host, out) => {
          for (const line of renderPlan(result, host.chalk)) out(line);
          if (result.protected) out(host.chalk.yellow('\nProtected stage: termination protection on, data retained.'));
        },
      );
    });
}
