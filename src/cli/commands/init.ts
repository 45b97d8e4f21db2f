import type { Command } from 'commander';
import type { InitOptions, InitResult } from '../../commands/init/index.js';
import type { ConsoleHost } from '../console-host.js';
import type { RunState } from '../program.js';
import { runCommand } from '../run-command.js';
import type { Terminal } from '../terminal.js';

interface InitFlags {
  readonly yes?: boolean;
  readonly json?: boolean;
  readonly verbose?: boolean;
  readonly name?: string;
  readonly runtime?: InitOptions['runtime'];
  readonly account?: string;
  readonly region?: string;
  readonly github?: string;
  readonly force?: boolean;
  /** commander sets `git: false` for --no-git and `true` otherwise. */
  readonly git: boolean;
  readonly extend?: boolean;
}

/** `spec3 init [dir]`: argv -> InitOptions; the engine is imported only when the command runs. */
export function registerInit(program: Command, t: Terminal, state: RunState): void {
  program
    .command('init')
    .description('Scaffold a spec3 project: config, function code, tests, CI workflow.')
    .argument('[dir]', 'directory to create the project in (created if missing)', '.')
    .option('-y, --yes', 'accept the default of every question not answered by a flag')
    .option('--name <name>', 'project name (default: the directory name)')
    // Checked by the engine against the schema's list: importing the schema (zod) here would slow --help.
    .option('--runtime <runtime>', 'runtime of the functions, e.g. python3.13 or nodejs22.x')
    .option('--account <id>', 'AWS account id of every stage')
    .option('--region <region>', 'AWS region of every stage')
    .option('--github <owner/repo>', 'GitHub repository the deploy workflow runs in (sets features.pipeline)')
    .option('--force', 'write into a non-empty directory, replacing files of the same name')
    .option('--no-git', 'do not run git init')
    .option('--extend', 'also write a commented spec3.extend.ts (code extensions)')
    .option('--json', 'print the result as JSON on stdout')
    .option('-v, --verbose', 'show every file as it is written')
    .addHelpText(
      'after',
      `
Without --yes, init asks for what the flags leave open (name, runtime, stages, each stage's
account and region, API type, VPC, GitHub repository, git init). Without a terminal it needs
--yes; the defaults make a project that synthesizes as-is (account 123456789012, us-east-1).

Examples:
  $ spec3 init orders                              ask, then create ./orders
  $ spec3 init orders --yes                        all defaults: Python, stages dev, staging, prod
  $ spec3 init --yes --runtime nodejs22.x          into the current (empty) directory
  $ spec3 init orders --yes --account 111122223333 --region eu-west-1 --github acme/orders
  $ spec3 init orders --yes --extend               with a commented spec3.extend.ts

Exit codes: 0 written, 1 error (nothing written), 130 aborted at a question (nothing written).`,
    )
    .action(async (dir: string, flags: InitFlags) => {
      const options: InitOptions = {
        dir,
        name: flags.name,
        runtime: flags.runtime,
        account: flags.account,
        region: flags.region,
        github: flags.github,
        force: flags.force,
        // Only --no-git answers the question; otherwise it is asked (default yes).
        git: flags.git === false ? false : undefined,
        ...(flags.extend ? { extend: true } : {}),
      };
      await runCommand(
        t,
        state,
        flags,
        async (ctx) => {
          const { run } = await import('../../commands/init/index.js');
          return run(options, ctx);
        },
        renderInit,
      );
    });
}

/** The result on stdout: what was written, then what to run next (progress went to stderr). */
function renderInit(result: InitResult, host: ConsoleHost, out: (line: string) => void): void {
  const c = host.chalk;
  out(`${c.bold(result.project)} (${result.runtime}; stages ${result.stages.map((s) => s.name).join(', ')}): ${result.files.length} files`);
  for (const file of result.files) out(`  ${c.dim(file)}`);
  out('');
  out(c.bold('Next steps:'));
  for (const step of result.nextSteps) out(`  ${step}`);
}
