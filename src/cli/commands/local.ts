import { InvalidArgumentError, type Command } from 'commander';
import type { LocalStatusResult } from '../../commands/local/index.js';
import type { RunState } from '../program.js';
import { runCommand } from '../run-command.js';
import type { Terminal } from '../terminal.js';

interface LocalFlags {
  readonly json?: boolean;
  readonly verbose?: boolean;
}

interface StartFlags extends LocalFlags {
  readonly port?: number;
}

export function registerLocal(program: Command, t: Terminal, state: RunState): void {
  const local = program
    .command('local')
    .description("Run a local AWS (moto with spec3's fixes) in the background, to deploy stages without an account.")
    .addHelpText(
      'after',
      `
Examples:
  $ spec3 local start
  $ spec3 deploy dev --local
  $ spec3 local stop

Needs Python 3 with moto (pip install 'moto[server]'; SPEC3_PYTHON picks the Python).
Exit codes: 0 success, 1 error.`,
    );

  subcommand(
    local,
    'start',
    'Start the local AWS in the background, or report the one already running.',
    ['spec3 local start', 'spec3 local start --port 4599'],
    `It keeps running after this command ends; its output goes to ~/.spec3/local.log.
Exit codes: 0 running (started now or before), 1 error (no Python or moto, port in use).`,
  )
    .option('-p, --port <port>', 'port to listen on (default: a free port)', parsePort)
    .action(async (flags: StartFlags) => {
      await runCommand(
        t,
        state,
        flags,
        async (ctx) => (await import('../../commands/local/index.js')).start({ port: flags.port }, ctx),
        (result, host, out) => {
          const where = `${result.endpoint} (pid ${result.pid})`;
          out(result.started ? host.chalk.green(`✔ Local AWS running at ${where}.`) : `Local AWS already running at ${where}, up ${uptime(result)}.`);
          for (const line of usage(result)) out(line);
        },
      );
    });

  subcommand(
    local,
    'status',
    'Show whether the local AWS runs, where, and for how long.',
    ['spec3 local status', 'spec3 local status --json'],
    'Exit codes: 0 shown (running or not), 1 error.',
  ).action(async (flags: LocalFlags) => {
    await runCommand(
      t,
      state,
      flags,
      async (ctx) => (await import('../../commands/local/index.js')).status({}, ctx),
      (result, _host, out) => {
        if (!result.running) {
          out('No local AWS is running. Start one with `spec3 local start`.');
          return;
        }
        out(`Local AWS running at ${result.endpoint} (pid ${result.pid}), up ${uptime(result)}.`);
        for (const line of usage(result)) out(line);
      },
    );
  });

  subcommand(
    local,
    'stop',
    'Stop the local AWS; everything deployed to it is gone.',
    ['spec3 local stop'],
    'Exit codes: 0 stopped or none was running, 1 error.',
  ).action(async (flags: LocalFlags) => {
    await runCommand(
      t,
      state,
      flags,
      async (ctx) => (await import('../../commands/local/index.js')).stop({}, ctx),
      (result, host, out) => {
        out(result.stopped ? host.chalk.green(`✔ Stopped the local AWS at ${result.endpoint} (pid ${result.pid}).`) : 'No local AWS is running.');
      },
    );
  });
}

/** A `spec3 local` subcommand with the options and help every one of them has. */
function subcommand(parent: Command, name: string, description: string, examples: readonly string[], notes: string): Command {
  return parent
    .command(name)
    .description(description)
    .option('--json', 'print the result as JSON')
    .option('-v, --verbose', 'show debug messages')
    .addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n\n${notes}`);
}

function usage(result: LocalStatusResult): string[] {
  return [
    '',
    'Deploy a stage to it:',
    '  spec3 bootstrap dev --local && spec3 deploy dev --local',
    'Or point any AWS SDK or CLI at it:',
    `  export AWS_ENDPOINT_URL=${result.endpoint} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1`,
    '',
    `Log: ${result.logFile}`,
    'Stop it: spec3 local stop',
  ];
}

function uptime(result: LocalStatusResult): string {
  const s = result.uptimeSeconds ?? 0;
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidArgumentError('a port is an integer from 1 to 65535.');
  return port;
}
