import type { Command } from 'commander';
import type { AwsFlags } from '../../aws/access.js';
import type { DestroyPlan } from '../../commands/destroy/index.js';
import type { IoHost, Spec3Event } from '../../context.js';
import { addAwsOptions, awsFlags } from '../aws-options.js';
import { phase } from '../parse.js';
import type { RunState } from '../program.js';
import { DeployProgress } from '../render/deploy-progress.js';
import { renderDestroy, renderDestroyPlan } from '../render/destroy.js';
import { runCommand } from '../run-command.js';
import { isInteractive, type Terminal } from '../terminal.js';

interface DestroyFlags extends AwsFlags {
  readonly config?: string;
  readonly phase?: string;
  readonly force?: boolean;
  readonly allowProtected?: boolean;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

export function registerDestroy(program: Command, t: Terminal, state: RunState): void {
  const command = program
    .command('destroy')
    .description('Delete a stage phase by phase in reverse (integrations, app, foundation), after a typed confirmation.')
    .argument('<stage>', 'stage to destroy, e.g. dev')
    .option('-p, --phase <phase>', 'destroy one phase only: foundation, app or integrations (later phases must be gone)', phase)
    .option('--force', 'do not ask for the stage name (unprotected stages only)')
    .option('--allow-protected', 'allow destroying a protected stage and lift termination and table deletion protection; the stage name is still asked')
    .option('-c, --config <file>', 'config file (default: spec3.config.json here or in the nearest directory above)')
    .option('--json', 'print the result as JSON')
    .option('-v, --verbose', 'show every resource event and debug messages');
  addAwsOptions(command)
    .addHelpText(
      'after',
      `
Before anything changes, spec3 checks the account and everything that would stop the destroy
half-way (table deletion protection, bucket object lock or a policy denying deletes, stacks outside
the stage reading its values) and refuses, naming each with its fix. Then it shows the stacks it
will delete, the tables deleted with their item counts, the buckets it will empty with their
object-version counts and the resources that will be retained, and asks you to type the stage
name. There is no --yes: without a terminal, only --force skips the question, and only for an
unprotected stage. A protected stage ("protected": true, or termination protection
on a stack) is refused unless --allow-protected is given, and then still asks for its name;
termination protection and table deletion protection are lifted right before each stack is deleted.
A DELETE_FAILED stack whose failed resources are already gone is finished (DeleteStack retaining them).
Ctrl-C, SIGTERM or SIGHUP: no new deletion starts, the lock is released, and the report says what
CloudFormation is still doing and how much of a bucket was emptied; a second Ctrl-C exits at once.
Like deploy, destroy holds the stage's lock (/spec3/<project>/<stage>/lock) and is refused while
another run holds it.

Examples:
  $ spec3 destroy dev                            asks for "dev", then deletes every stack
  $ spec3 destroy dev --phase integrations       the integrations phase only
  $ spec3 destroy dev --force --json             CI, unprotected stage
  $ spec3 destroy prod --allow-protected         protected stage, in a terminal

Deleted stacks are removed from .spec3/<stage>/outputs.json.
Exit codes: 0 destroyed or nothing to destroy, 1 error or refused (a blocker, protected, no terminal, delete failed), 130 declined or interrupted (Ctrl-C), 143 SIGTERM, 129 SIGHUP.`,
    )
    .action(async (stage: string, flags: DestroyFlags) => {
      const interactive = isInteractive(t);
      const live = interactive && !flags.json && !flags.verbose ? new DeployProgress() : undefined;
      await runCommand(
        t,
        state,
        flags,
        async (ctx, host, signal) => {
          // The plan must be on screen before the confirmation is asked, under --json too when
          // someone is there to answer (stdout keeps only the JSON result).
          const showPlan = (event: Spec3Event) => {
            for (const line of renderDestroyPlan(event.data as DestroyPlan, host.chalk)) t.stderr.write(`${line}\n`);
          };
          host.view = (event) => {
            if (event.code !== 'DESTROY_PLAN') return live?.view(event) ?? false;
            showPlan(event);
            return true;
          };
          const io: IoHost =
            flags.json && interactive
              ? {
                  emit: (event) => {
                    if (event.code === 'DESTROY_PLAN') showPlan(event);
                    host.emit(event);
                  },
                  ask: (request) => host.ask(request),
                }
              : host;
          const { run } = await import('../../commands/destroy/index.js');
          try {
            return await run(
              {
                stage,
                config: flags.config,
                ...(flags.phase ? { phase: flags.phase } : {}),
                force: Boolean(flags.force),
                allowProtected: Boolean(flags.allowProtected),
                aws: awsFlags(flags),
                signal,
              },
              { ...ctx, io },
            );
          } finally {
            await live?.finish();
            host.view = undefined;
          }
        },
        (result, host, out) => {
          for (const line of renderDestroy(result, host.chalk)) out(line);
        },
        undefined,
        { interruptible: true },
      );
    });
}
