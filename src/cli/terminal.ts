import type { Readable, Writable } from 'node:stream';
import type { SignalSource } from './interrupts.js';

/** Everything the CLI touches of the process, injected so tests can run it in-process. */
export interface Terminal {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: Readable & { isTTY?: boolean };
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  /** Stop signals (Ctrl-C, SIGTERM, SIGHUP) and the immediate exit a second one asks for. */
  readonly signals: SignalSource;
}

/** Interactive means a person can answer: a TTY on both ends and not in CI. */
export function isInteractive(t: Terminal): boolean {
  return Boolean(t.stdin.isTTY && t.stdout.isTTY) && !isCi(t.env);
}

export function isCi(env: Terminal['env']): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

export function colorEnabled(t: Terminal): boolean {
  if (t.env.NO_COLOR !== undefined && t.env.NO_COLOR !== '') return false;
  if (t.env.FORCE_COLOR !== undefined && t.env.FORCE_COLOR !== '0') return true;
  return Boolean(t.stderr.isTTY);
}
