import { CommanderError } from 'commander';
import { AbortError, Spec3Error } from '../errors.js';
import { exitCodeFor, EXIT } from './exit-codes.js';
import { SIGNAL_EXIT_CODE, type SignalSource } from './interrupts.js';
import { buildProgram, type RunState } from './program.js';
import { colorEnabled, type Terminal } from './terminal.js';

/**
 * The entry point: parses argv, runs one command, and returns the exit code. The only place that
 * knows about exit codes; `bin/spec3.js` sets `process.exitCode` from it.
 */
export async function main(argv: readonly string[], terminal?: Partial<Terminal>): Promise<number> {
  const t: Terminal = {
    argv,
    cwd: terminal?.cwd ?? process.cwd(),
    env: terminal?.env ?? process.env,
    stdin: terminal?.stdin ?? process.stdin,
    stdout: terminal?.stdout ?? process.stdout,
    stderr: terminal?.stderr ?? process.stderr,
    signals: terminal?.signals ?? PROCESS_SIGNALS,
  };
  // Known before parsing, so a bad flag or argument is reported as JSON too when --json is given.
  const options = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  const state: RunState = { code: EXIT.ok, json: options.includes('--json') };
  const verbose = options.includes('-v') || options.includes('--verbose');
  const program = buildProgram(t, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return state.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0, and help shown for a missing command with 1.
      if (HELP_CODES.has(error.code)) return error.exitCode === 0 ? EXIT.ok : EXIT.error;
      const first = options.find((a) => !a.startsWith('-'));
      const command = program.commands.find((c) => c.name() === first)?.name();
      const usage = new Spec3Error(
        USAGE_CODES[error.code] ?? 'USAGE',
        error.message.replace(/^error: /, ''),
        `Run \`spec3 ${command ? `${command} ` : ''}--help\` for the arguments and flags it takes.`,
      );
      reportError(t, usage, state.json, verbose);
      return EXIT.error;
    }
    reportError(t, error, state.json, verbose);
    // A run stopped by a signal ends with that signal's code (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP).
    return state.interrupted ? SIGNAL_EXIT_CODE[state.interrupted] : exitCodeFor(error);
  }
}

/** The real process: the entry point is the one place that may end it, on a second stop signal. */
const PROCESS_SIGNALS: SignalSource = {
  on: (signal, listener) => process.on(signal, listener),
  removeListener: (signal, listener) => process.removeListener(signal, listener),
  exit: (code) => process.exit(code),
};

const HELP_CODES = new Set(['commander.help', 'commander.helpDisplayed', 'commander.version']);

/** Stable codes for commander's usage errors (scripts key on `code` under --json). */
const USAGE_CODES: Readonly<Record<string, string>> = {
  'commander.unknownCommand': 'UNKNOWN_COMMAND',
  'commander.unknownOption': 'UNKNOWN_OPTION',
  'commander.missingArgument': 'MISSING_ARGUMENT',
  'commander.optionMissingArgument': 'MISSING_OPTION_VALUE',
  'commander.missingMandatoryOptionValue': 'MISSING_OPTION_VALUE',
  'commander.excessArguments': 'TOO_MANY_ARGUMENTS',
  'commander.invalidArgument': 'INVALID_OPTION',
};

/**
 * Prints a failure. A Spec3Error is a named failure (AWS and the file system included): its
 * message and hint, and with -v what caused it. Anything else is a defect of spec3 itself, and
 * says so; its stack trace is shown with -v only.
 */
function reportError(t: Terminal, error: unknown, json: boolean, verbose: boolean): void {
  if (json) {
    const body =
      error instanceof Spec3Error
        ? { error: { code: error.code, message: error.message, hint: error.hint } }
        : { error: { code: 'INTERNAL', message: String((verbose ? (error as Error)?.stack : undefined) ?? (error as Error)?.message ?? error) } };
    t.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  const red = colorEnabled(t) ? (s: string) => `\u001b[31m${s}\u001b[39m` : (s: string) => s;
  if (error instanceof AbortError) {
    t.stderr.write(`${error.message}\n`);
    return;
  }
  if (error instanceof Spec3Error) {
    t.stderr.write(`${red('✖')} ${error.message}\n`);
    if (error.hint) t.stderr.write(`  ${error.hint}\n`);
    if (verbose) for (const line of causes(error)) t.stderr.write(`  caused by: ${line}\n`);
    return;
  }
  const detail = verbose ? ((error as Error)?.stack ?? String(error)) : ((error as Error)?.message ?? String(error));
  t.stderr.write(`${red('✖')} Unexpected error: ${detail}\n`);
  t.stderr.write(`  This is a bug in spec3; please report it with the output above${verbose ? '' : ' (run again with -v for the stack trace)'}.\n`);
}

/** The chain of causes of an error, one line each (with the AWS request id where there is one). */
function causes(error: Error): string[] {
  const lines: string[] = [];
  let next: unknown = error.cause;
  for (let depth = 0; next !== undefined && depth < 5; depth += 1) {
    const e = next as Error & { $metadata?: { requestId?: string; httpStatusCode?: number } };
    const meta = e?.$metadata?.requestId ? ` (HTTP ${e.$metadata.httpStatusCode ?? '?'}, request id ${e.$metadata.requestId})` : '';
    lines.push(`${e?.name ?? 'Error'}: ${e?.message ?? String(e)}${meta}`);
    next = e?.cause;
  }
  return lines;
}
