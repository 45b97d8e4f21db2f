import type { Command } from 'commander';
import type { AwsFlags } from '../../aws/access.js';
import { addAwsOptions, awsFlags } from '../aws-options.js';
import { changesExitCode } from '../exit-codes.js';
import { phase } from '../parse.js';
import type { RunState } from '../program.js';
import { renderDiff } from '../render/diff.js';
import { runCommand } from '../run-command.js';
import { selection } from '../selection.js';
import type { Terminal } from '../terminal.js';
import { withValidation } from './synth.js';

interface DiffFlags extends AwsFlags {
  readonly config?: string;
  readonly phase?: string;
  readonly stack?: string[];
  readonly assembly?: string;
  readonly changeSet?: boolean;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

export function registerDiff(program: Command, t: Terminal, state: RunState): void {
  const command = program
    .command('diff')
    .description('Show what a deploy would change: each stack against what is deployed, with IAM and security-group changes called out.')
    .argument('<stage>', 'stage to compare, e.g. dev')
    .option('-p, --phase <phase>', 'compare one phase only: foundation, app or integrations', phase)
    .option('-s, --stack <name...>', 'compare only these stacks (full name or kind, e.g. compute)')
    .option('--change-set', "also show CloudFormation's plan for each changed stack (a change set, deleted right after)")
    .option('--assembly <dir>', 'compare this cloud assembly (from `spec3 synth` of this stage) instead of synthesizing')
    .option('-c, --config <file>', 'config file (default: spec3.config.json here or in the nearest directory above)')
    .option('--json', 'print the result as JSON')
    .option('-v, --verbose', 'show debug messages');
  addAwsOptions(command)
    .addHelpText(
      'after',
      `
Templates are read through the bootstrap lookup role (read-only), or the current credentials when
it cannot be assumed, and compared by the CDK diff library, as \`cdk diff\` does. A stack also
counts as changed when an SSM parameter it reads has a new value since its deploy, or its tags or
termination protection differ. --change-set creates one change set per changed, deployed stack
through the deploy role and always deletes it (stacks not deployed yet get none); it is the only
write, with the upload of a template over 51,200 bytes to the assets bucket.
A deployed stack of the stage that the config no longer has is listed as "removed from config"
and counts as a change (exit 2); \`spec3 deploy <stage> --prune\` deletes it.

Examples:
  $ spec3 diff dev --local                        every stack of dev against the local AWS
  $ spec3 diff prod --phase app                   one phase only
  $ spec3 diff prod --stack compute --change-set  with CloudFormation's own plan
  $ spec3 diff prod --json                        machine-readable

In CI, branch on the exit code:
  set +e; npx spec3 diff prod --change-set; code=$?; set -e
  case $code in 0) echo "no changes" ;; 2) npx spec3 deploy prod --yes ;; *) exit 1 ;; esac

Exit codes: 0 no changes, 2 changes found (or a stack removed from config), 1 error (nothing could be told, e.g. wrong account or a failed change set), 130 interrupted.`,
    )
    .action(async (stage: string, flags: DiffFlags) => {
      await runCommand(
        t,
        state,
        flags,
        async (ctx, _host, signal) => {
          const { run } = await import('../../commands/diff/index.js');
          return run(
            {
              stage,
              ...selection(flags),
              changeSet: Boolean(flags.changeSet),
              aws: awsFlags(flags),
              signal,
            },
            withValidation(ctx, false),
          );
        },
        (result, host, out) => {
          for (const line of renderDiff(result, host.chalk)) out(line);
        },
        (result) => changesExitCode(result.stacks.some((s) => s.status !== 'unchanged') || result.removed.length > 0),
        { interruptible: true },
      );
    });
}
