import type { Command } from 'commander';
import type { AwsFlags } from '../../aws/access.js';
import { addAwsOptions, awsFlags } from '../aws-options.js';
import type { RunState } from '../program.js';
import { runCommand } from '../run-command.js';
import type { Terminal } from '../terminal.js';

interface BootstrapFlags extends AwsFlags {
  readonly config?: string;
  readonly qualifier?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

export function registerBootstrap(program: Command, t: Terminal, state: RunState): void {
  const command = program
    .command('bootstrap')
    .description("Prepare a stage's account and region for deploys with the standard CDK bootstrap stack (CDKToolkit).")
    .argument('<stage>', 'stage whose account and region to bootstrap, e.g. dev')
    .option('--qualifier <q>', 'bootstrap qualifier (default: "qualifier" in the config, else hnb659fds)')
    .option('-c, --config <file>', 'config file (default: spec3.config.json here or in the nearest directory above)')
    .option('--json', 'print the result as JSON')
    .option('-v, --verbose', 'show resource events and debug messages');
  addAwsOptions(command)
    .addHelpText(
      'after',
      `
Idempotent: an account already bootstrapped (by spec3 or \`cdk bootstrap\`) at the same or a newer
version is left unchanged; an older one is upgraded, keeping its parameters.

Examples:
  $ spec3 bootstrap dev --local
  $ spec3 bootstrap prod --profile prod-admin

Exit codes: 0 bootstrapped or already up to date, 1 error (wrong account, no credentials, stack failed).`,
    )
    .action(async (stage: string, flags: BootstrapFlags) => {
      await runCommand(
        t,
        state,
        flags,
        async (ctx, _host, signal) => {
          const { run } = await import('../../commands/bootstrap/index.js');
          return run(
            { stage, config: flags.config, ...(flags.qualifier ? { qualifier: flags.qualifier } : {}), aws: awsFlags(flags), signal },
            ctx,
          );
        },
        (r, host, out) => {
          const where = `account ${r.account}, ${r.region}`;
          if (r.action === 'unchanged') out(`${host.chalk.green('✔')} ${where} is bootstrapped: ${r.stackName} version ${r.version} (qualifier ${r.qualifier}); nothing to do.`);
          else
            out(
              `${host.chalk.green('✔')} ${r.stackName} ${r.action} in ${where}: version ${r.previousVersion !== undefined ? `${r.previousVersion} -> ` : ''}${r.version} (qualifier ${r.qualifier}).`,
            );
          if (r.bucket) out(`  assets bucket: ${r.bucket}`);
          out(`Next: spec3 deploy ${r.stage}`);
        },
        undefined,
        { interruptible: true },
      );
    });
}
