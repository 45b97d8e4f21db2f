import type { Command } from 'commander';
import type { AwsFlags } from '../../aws/access.js';
import { addAwsOptions, awsFlags } from '../aws-options.js';
import type { RunState } from '../program.js';
import { renderUnlock } from '../render/unlock.js';
import { runCommand } from '../run-command.js';
import type { Terminal } from '../terminal.js';

interface UnlockFlags extends AwsFlags {
  readonly config?: string;
  readonly force?: boolean;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

export function registerUnlock(program: Command, t: Terminal, state: RunState): void {
  const command = program
    .command('unlock')
    .description("Remove a stage's lock left behind by a deploy or destroy that is gone (killed, machine lost).")
    .argument('<stage>', 'stage whose lock to remove, e.g. dev')
    .option('--force', 'do not ask for the stage name (needed without a terminal)')
    .option('-c, --config <file>', 'config file (default: spec3.config.json here or in the nearest directory above)')
    .option('--json', 'print the result as JSON')
    .option('-v, --verbose', 'show debug messages');
  addAwsOptions(command)
    .addHelpText(
      'after',
      `
The lock is the SSM parameter /spec3/<project>/<stage>/lock that deploy and destroy hold while they
run. unlock shows its holder (user@host, pid, command, since, CI run) and, in a terminal, asks you
to type the stage name; --force skips the question. A holder still running on this machine is
refused, --force or not: that run releases the lock itself when it ends or is stopped with Ctrl-C.
A holder on another machine cannot be checked: make sure that run is gone first.

Examples:
  $ spec3 unlock dev --local             asks for "dev", then removes the lock
  $ spec3 unlock dev --force --json      CI, after a cancelled job

Exit codes: 0 removed or not locked, 1 refused (holder still running here, no terminal without
--force) or error, 130 declined or interrupted.`,
    )
    .action(async (stage: string, flags: UnlockFlags) => {
      await runCommand(
        t,
        state,
        flags,
        async (ctx) => {
          const { run } = await import('../../commands/unlock/index.js');
          return run({ stage, config: flags.config, force: Boolean(flags.force), aws: awsFlags(flags) }, ctx);
        },
        (result, host, out) => {
          for (const line of renderUnlock(result, host.chalk)) out(line);
        },
        undefined,
        { interruptible: true },
      );
    });
}
