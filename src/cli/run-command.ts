import type { Context } from '../context.js';
import { ConsoleHost, type HostOptions } from './console-host.js';
import { Interrupts } from './interrupts.js';
import type { RunState } from './program.js';
import type { Terminal } from './terminal.js';

export interface CommonFlags {
  readonly json?: boolean;
  readonly yes?: boolean;
  readonly verbose?: boolean;
}

export interface RunCommandOptions {
  /**
   * The command changes AWS and stops cleanly on Ctrl-C, SIGTERM or SIGHUP: `execute` gets the
   * signal to pass to the engine, prompts are cancelled by it, and a second signal exits at once.
   */
  readonly interruptible?: boolean;
}

/**
 * Runs one command's engine with a console host, then renders its result: as JSON on stdout under
 * `--json`, otherwise through the command's own renderer.
 */
export async function runCommand<R>(
  t: Terminal,
  state: RunState,
  flags: CommonFlags,
  execute: (ctx: Context, host: ConsoleHost, signal: AbortSignal | undefined) => Promise<R>,
  render: (result: R, host: ConsoleHost, out: (line: string) => void) => void,
  exitCode: (result: R) => number = () => 0,
  options: RunCommandOptions = {},
): Promise<void> {
  // Under --json no event is rendered, but the person who pressed Ctrl-C still reads stderr.
  const stopping = (message: string) => (flags.json ? t.stderr.write(`${message}\n`) : host.emit({ code: 'RUN_STOPPING', level: 'warn', message }));
  const interrupts = options.interruptible ? new Interrupts(t.signals, t.stderr, stopping) : undefined;
  const hostOptions: HostOptions = {
    yes: Boolean(flags.yes),
    json: Boolean(flags.json),
    verbose: Boolean(flags.verbose),
    ...(interrupts ? { signal: interrupts.signal, observe: interrupts.observe } : {}),
  };
  state.json = hostOptions.json;
  const host = new ConsoleHost(t, hostOptions);
  const ctx: Context = { cwd: t.cwd, io: host, env: t.env };
  const body = async (signal: AbortSignal | undefined) => {
    const result = await execute(ctx, host, signal);
    if (hostOptions.json) t.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else render(result, host, (line) => t.stdout.write(`${line}\n`));
    state.code = exitCode(result);
  };
  try {
    // The result is printed with the signals still handled: a Ctrl-C then exits 130 rather than killing the process.
    await (interrupts ? interrupts.run(body) : body(undefined));
  } finally {
    if (interrupts?.received) state.interrupted = interrupts.received;
  }
}
