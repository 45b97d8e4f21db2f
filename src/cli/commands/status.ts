import type { Command } from 'commander';
import type { AwsFlags } from '../../aws/access.js';
import { addAwsOptions, awsFlags } from '../aws-options.js';
import type { RunState } from '../program.js';
import { renderStatus } from '../render/status.js';
import { runCommand } from '../run-command.js';
import type { Terminal } from '../terminal.js';

interface StatusFlags extends AwsFlags {
  readonly config?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

export function registerStatus(program: Command, t: Terminal, state: RunState): void {
  const command = program
    .command('status')
    .description("Show a stage's stacks by phase: status, last update, drift when known, outputs.")
    .argument('<stage>', 'stage to show, e.g. dev')
    .option('-c, --config <file>', 'config file (default: spec3.config.json here or in the nearest directory above)')
    .option('--json', 'print the status as JSON')
    .option('-v, --verbose', 'show debug messages');
  addAwsOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  $ spec3 status dev --local
  $ spec3 status prod --json

Exit codes: 0 shown (whatever the stacks' states), 1 error (no credentials, wrong account).`,
    )
    .action(async (stage: string, flags: StatusFlags) => {
      await runCommand(
        t,
        state,
        flags,
        async (ctx) => {
          const { run } = await import('../../commands/status/index.js');
          return run({ stage, config: flags.config, aws: awsFlags(flags) }, ctx);
        },
        (result, host, out) => {
          for (const line of renderStatus(result, host.chalk)) out(line);
        },
      );
    });
}
