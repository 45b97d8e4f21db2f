import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';

/** Runs spec3's entry point in-process, as the binary would in a terminal-less run; answers exit code and output. */
export async function runMain(argv: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await main(argv, { cwd, env: { NO_COLOR: '1', ...env }, stdin: new PassThrough(), stdout, stderr });
  return { code, out, err };
}
