import { CommanderError } from 'commander';
import { AbortError, Spec3Error } from '../errors.js';
import { exitCodeFor, EXIT } from './exit-codes.js';
import { buildProgram } from './program.js';
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
  };
  const state = { code: EXIT.ok as number, json: false };
  const program = buildProgram(t, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return state.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors with 1.
      return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    reportError(t, error, state.json);
    return exitCodeFor(error);
  }
}

function reportError(t: Terminal, error: unknown, json: boolean): void {
  if (json) {
    const body =
      error instanceof Spec3Error
        ? { error: { code: error.code, message: error.message, hint: error.hint } }
        : { error: { code: 'INTERNAL', message: String((error as Error)?.stack ?? error) } };
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
    return;
  }
  t.stderr.write(`${red('✖')} Unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  t.stderr.write('  This is a bug in spec3; please report it with the output above.\n');
}
