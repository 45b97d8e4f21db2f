import type { Context } from '../context.js';
import { ConsoleHost, type HostOptions } from './console-host.js';
import type { RunState } from './program.js';
import type { Terminal } from './terminal.js';

export interface CommonFlags {
  readonly json?: boolean;
  readonly yes?: boolean;
  readonly verbose?: boolean;
}

/**
 * Runs one command's engine with a console host, then renders its result: as JSON on stdout under
 * `--json`, otherwise through the command's own renderer.
 */
export async function runCommand<R>(
  t: Terminal,
  state: RunState,
  flags: CommonFlags,
  execute: (ctx: Context, host: ConsoleHost) => Promise<R>,
  render: (result: R, host: ConsoleHost, out: (line: string) => void) => void,
  exitCode: (result: R) => number = () => 0,
): Promise<void> {
  const hostOptions: HostOptions = { yes: Boolean(flags.yes), json: Boolean(flags.json), verbose: Boolean(flags.verbose) };
  state.json = hostOptions.json;
  const host = new ConsoleHost(t, hostOptions);
  const ctx: Context = { cwd: t.cwd, io: host, env: t.env };
  const result = await execute(ctx, host);
  if (hostOptions.json) t.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else render(result, host, (line) => t.stdout.write(`${line}\n`));
  state.code = exitCode(result);
}
