import type { Command } from 'commander';
import type { AwsFlags } from '../../aws/access.js';
import { addAwsOptions, awsFlags } from '../aws-options.js';
import { driftExitCode } from '../exit-codes.js';
import { phase, wholeNumber } from '../parse.js';
import type { RunState } from '../program.js';
import { renderDrift } from '../render/drift.js';
import { runCommand } from '../run-command.js';
import { selection } from '../selection.js';
import type { Terminal } from '../terminal.js';
import { withValidation } from './synth.js';

interface DriftFlags extends AwsFlags {
  readonly config?: string;
  readonly phase?: string;
  readonly stack?: string[];
  readonly assembly?: string;
  readonly timeout?: number;
  readonly concurrency?: number;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

export function registerDrift(program: Command, t: Terminal, state: RunState): void {
  const command = program
    .command('drift')
    .description('Find changes made outside spec3: CloudFormation drift detection on every deployed stack, and undeployed changes.')
    .argument('<stage>', 'stage to check, e.g. prod')
    .option('-p, --phase <phase>', 'check one phase only: foundation, app or integrations', phase)
    .option('-s, --stack <name...>', 'check only these stacks (full name or kind, e.g. compute)')
    .option('--timeout <seconds>', 'give up on detection after this long (default 300); a stack not done is an error', wholeNumber('--timeout', 3600))
    .option('--concurrency <n>', 'stacks checked at once (default 10)', wholeNumber('--concurrency', 32))
    .option('--assembly <dir>', 'compare with this cloud assembly (from `spec3 synth` of this stage) instead of synthesizing')
    .option('-c, --config <file>', 'config file (default: spec3.config.json here or in the nearest directory above)')
    .option('--json', 'print the report as JSON')
    .option('-v, --verbose', 'show debug messages');
  addAwsOptions(command)
    .addHelpText(
      'after',
      `
Each drifted resource is listed with its property differences (expected -> actual); resources
CloudFormation cannot check are listed too. "Undeployed changes" means the config or code differs
from what is deployed (see spec3 diff). Detection runs on all stacks at once.

Examples:
  $ spec3 drift prod
  $ spec3 drift dev --local --phase app
  $ spec3 drift prod --json --timeout 600      CI

Exit codes: 0 in sync, 2 drift or undeployed changes found, 1 error (a detection failed or timed
out, bad input, wrong account): an error never reads as "in sync" or as "drift". 130 interrupted.`,
    )
    .action(async (stage: string, flags: DriftFlags) => {
      await runCommand(
        t,
        state,
        flags,
        async (ctx, _host, signal) => {
          const { run } = await import('../../commands/drift/index.js');
          return run(
            {
              stage,
              ...selection(flags),
              ...(flags.timeout ? { timeoutSeconds: flags.timeout } : {}),
              ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
              aws: awsFlags(flags),
              signal,
            },
            withValidation(ctx, false),
          );
        },
        (result, host, out) => {
          for (const line of renderDrift(result, host.chalk)) out(line);
        },
        driftExitCode,
        { interruptible: true },
      );
    });
}
