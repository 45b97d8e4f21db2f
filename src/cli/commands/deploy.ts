import type { Command } from 'commander';
import type { AwsFlags } from '../../aws/access.js';
import { addAwsOptions, awsFlags } from '../aws-options.js';
import type { RunState } from '../program.js';
import { DeployProgress } from '../render/deploy-progress.js';
import { renderDeploy } from '../render/deploy.js';
import { renderDestroyPlan } from '../render/destroy.js';
import type { DestroyPlan } from '../../commands/destroy/index.js';
import { approvalFlag, phase, wholeNumber } from '../parse.js';
import type { ApprovalLevel } from '../../config/approval.js';
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
  readonly requireApproval?: ApprovalLevel;
  readonly prune?: boolean;
  readonly allowProtected?: boolean;
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
    .option('--assembly <dir>', 'deploy this cloud assembly (from `spec3 synth` of this stage) instead of synthesizing')
    .option('-y, --yes', 'approve without asking (the approval is printed as "(auto-confirmed)")')
    .option('--prune', "after the deploy, delete the stage's stacks the config no longer has (as destroy does: plan shown, stage name asked)")
    .option('--allow-protected', 'with --prune: allow deleting stacks of a protected stage (the stage name is still asked)')
    .option('--require-approval <level>', 'what needs approval: never, broadening (access widens; default) or any change', approvalFlag)
    .option('-c, --config <file>', 'config file (default: spec3.config.json here or in the nearest directory above)')
    .option('--json', 'print the result as JSON')
    .option('-v, --verbose', 'show every resource event and debug messages');
  addAwsOptions(command)
    .addHelpText(
      'after',
      `
Unchanged stacks (template, tags, parameters) are skipped without a change set. Before anything
changes, a deploy that widens IAM or security-group access shows the widening statements and rules
(tables as in \`cdk diff\`) and asks "Deploy these access changes? (y/N)" (Enter declines). --yes
approves and prints it; without a terminal (CI) a needed approval fails the deploy (exit 1,
APPROVAL_REQUIRED) unless --yes is given. --require-approval (or "requireApproval" in the config)
sets what needs approval: never, broadening (default) or any change.
Ctrl-C, SIGTERM or SIGHUP: no new stack starts, a change set not executed is deleted, the lock is
released, and the report says what CloudFormation is still doing; a second Ctrl-C exits at once.
One run per stage: deploy and destroy hold the SSM parameter /spec3/<project>/<stage>/lock while
they run; a second run is refused (exit 1) naming the holder. A lock left by a killed run is
named as abandoned, with the \`spec3 unlock\` command that clears it. --dry-run takes no lock.

Examples:
  $ spec3 deploy dev --local                 deploy to the local AWS (spec3 local start)
  $ spec3 deploy dev --phase foundation      one phase only
  $ spec3 deploy prod --dry-run              what would change
  $ spec3 deploy prod --yes --json           CI: approve a widening of access
  $ spec3 deploy prod --require-approval any ask before every change
  $ spec3 deploy dev --prune                 also delete the stacks the config dropped

Deployed stacks of the stage that the config no longer has (a removed feature, e.g. features.api)
are named ("removed from config") and keep running; --prune deletes them after the deploy with
destroy's safety: the plan with the data to delete, the stage name typed in a terminal (--yes
skips it for an unprotected stage), a protected stage only with --allow-protected.
Outputs are written to .spec3/<stage>/outputs.json.
Exit codes: 0 deployed or nothing to do, 1 error (the failing stack and its reason are printed, the stage is locked, or an approval is needed and there is no terminal), 130 interrupted (Ctrl-C) or approval declined, 143 SIGTERM, 129 SIGHUP.`,
    )
    .action(async (stage: string, flags: DeployFlags) => {
      const live = isInteractive(t) && !flags.json && !flags.verbose ? new DeployProgress() : undefined;
      await runCommand(
        t,
        state,
        flags,
        async (ctx, host, signal) => {
          // A --prune shows destroy's plan (stacks, data to delete, what is retained) before its confirmation.
          host.view = (event) => {
            if (event.code !== 'DESTROY_PLAN' || flags.json) return live?.view(event) ?? false;
            for (const line of renderDestroyPlan(event.data as DestroyPlan, host.chalk)) t.stderr.write(`${line}\n`);
            return true;
          };
          const { run } = await import('../../commands/deploy/index.js');
          try {
            return await run(
              {
                stage,
                ...selection(flags),
                ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
                dryRun: Boolean(flags.dryRun),
                ...(flags.requireApproval ? { requireApproval: flags.requireApproval } : {}),
                prune: Boolean(flags.prune),
                // --yes confirms a prune as destroy --force does: never for a protected stage.
                pruneForce: Boolean(flags.yes),
                allowProtected: Boolean(flags.allowProtected),
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
