import type { Command } from 'commander';
import type { AwsFlags } from '../../aws/access.js';
import { addAwsOptions, awsFlags } from '../aws-options.js';
import type { RunState } from '../program.js';
import { DeployProgress } from '../render/deploy-progress.js';
import { renderDeploy } from '../render/deploy.js';
import { phase, wholeNumber } from '../parse.js';
import { runCommand } from '../run-command.js';
import { selection } from '../selection.js';
import { isInteractive, type Terminal } from '../terminal.js';
import { withValidation } from './synth.js';

interface DeployFlags extends AwsFlags {
  readonly config?: string;
  readonly phase?: string;
  readonly stack?: string[];
  readonly assembly?: string;
  readonly concurrency?: number;
  readonly dryRun?: boolean;
  readonly yes?: boolean;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

export function registerDeploy(program: Command, t: Terminal, state: RunState): void {
  const command = program
    .command('deploy')
    .description('Deploy a stage phase by phase (foundation, app, integrations) through change sets.')
    .argument('<stage>', 'stage to deploy, e.g. dev')
    .option('-p, --phase <phase>', 'deploy one phase only: foundation, app or integrations', phase)
    .option('-s, --stack <name...>', 'deploy only these stacks (full name or kind, e.g. compute)')
    .option('--concurrency <n>', 'stacks deployed at once inside a phase (default 4)', wholeNumber('--concurrency', 16))
    .option('--dry-run', 'print what would be deployed and change nothing')
    .option('--assembly <dir>', 'deploy this cloud assembly (from `spec3 synth`) instead of synthesizing')
    .option('-y, --yes', 'do not ask for approval when access broadens')
    .option('-c, --config <file>', 'config file', 'spec3.config.json')
    .option('--json', 'print the result as JSON')
    .option('-v, --verbose', 'show every resource event and debug messages');
  addAwsOptions(command)
    .addHelpText(
      'after',
      `
Unchanged stacks (template, tags, parameters) are skipped without a change set. In a terminal,
spec3 asks before a deploy that widens IAM or security-group access; in CI it does not ask.
Ctrl-C, SIGTERM or SIGHUP: no new stack starts, a change set not executed is deleted, the lock is
released, and the report says what CloudFormation is still doing; a second Ctrl-C exits at once.
One run per stage: deploy and destroy hold the SSM parameter /spec3/<project>/<stage>/lock while
they run; a second run is refused (exit 1) naming the holder. A lock left by a killed run is
named as abandoned, with the \`spec3 unlock\` command that clears it. --dry-run takes no lock.

Examples:
  $ spec3 deploy dev --local                 deploy to the local AWS (spec3 local start)
  $ spec3 deploy dev --phase foundation      one phase only
  $ spec3 deploy prod --dry-run              what would change
  $ spec3 deploy prod --yes --json           CI

Outputs are written to .spec3/<stage>/outputs.json.
Exit codes: 0 deployed or nothing to do, 1 error (the failing stack and its reason are printed, or the stage is locked), 130 interrupted (Ctrl-C) or declined, 143 SIGTERM, 129 SIGHUP.`,
    )
    .action(async (stage: string, flags: DeployFlags) => {
      const live = isInteractive(t) && !flags.json && !flags.verbose ? new DeployProgress() : undefined;
      await runCommand(
        t,
        state,
        flags,
        async (ctx, host, signal) => {
          host.view = live?.view;
          const { run } = await import('../../commands/deploy/index.js');
          try {
            return await run(
              {
                stage,
                ...selection(flags),
                ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
                dryRun: Boolean(flags.dryRun),
                askApproval: isInteractive(t) && !flags.yes,
                aws: awsFlags(flags),
                signal,
              },
              withValidation(ctx, false),
            );
          } finally {
            await live?.finish();
            host.view = undefined;
          }
        },
        (result, host, out) => {
          for (const line of renderDeploy(result, host.chalk)) out(line);
        },
        undefined,
        { interruptible: true },
      );
    });
}
