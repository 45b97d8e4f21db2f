import { PassThrough } from 'node:stream';

/** In-process stand-ins for stdin/stdout/stderr, optionally marked as a TTY, recording what was written. */
export interface Streams {
  readonly stdin: PassThrough & { isTTY?: boolean };
  readonly stdout: PassThrough & { isTTY?: boolean };
  readonly stderr: PassThrough & { isTTY?: boolean };
  out(): string;
  err(): string;
}

export function streams(tty: boolean): Streams {
  const stdin: Streams['stdin'] = new PassThrough();
  const stdout: Streams['stdout'] = new PassThrough();
  // Plain streams, not process stdio: prompts must not end them (ConsoleHost pipes with end: false).
  const stderr: Streams['stderr'] = new PassThrough();
  if (tty) stdin.isTTY = stdout.isTTY = stderr.isTTY = true;
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { stdin, stdout, stderr, out: () => out, err: () => err };
}

/**
 * Types like a person: waits until each prompt has rendered (a TTY prompt discards keys that
 * arrive before it), then sends that step's keys. Prompts render on stderr. Returns how many
 * steps have been answered so far.
 */
export function typeAnswers(s: Streams, steps: readonly (readonly [prompt: string, keys: string])[]): () => number {
  let step = 0;
  let from = 0;
  s.stderr.on('data', () => {
    const current = steps[step];
    if (!current) return;
    const at = s.err().indexOf(current[0], from);
    if (at < 0) return;
    from = at + current[0].length;
    step += 1;
    setTimeout(() => s.stdin.write(current[1]), 5);
  });
  return () => step;
}
