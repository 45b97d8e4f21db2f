import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const BIN = fileURLToPath(new URL('../../bin/spec3.js', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const PTY_RUN = fileURLToPath(new URL('pty-run.py', import.meta.url));

/** Runs the built binary as a user would. The suite is run by `npm test`, which builds first. */
export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved: the failure message of an assertion. */
  readonly all: string;
}

/** Runs any command, never throwing on a non-zero exit. */
export async function sh(file: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
  const r = await execa(file, args, { cwd, reject: false, all: true, env, extendEnv: true });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr), all: String(r.all) };
}

/** Runs the built binary as a user would in CI. The suite is run by `npm test`, which builds first. */
export async function spec3(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
  assertBuilt();
  return sh('node', [BIN, ...args], cwd, { CI: '1', NO_COLOR: '1', ...env });
}

/** One step of a person at a terminal (see pty-run.py): once `when` is on screen, type, signal, or close the terminal. */
export type PtyStep = { readonly when: string; readonly delay?: number } & (
  | { readonly type: string }
  | { readonly signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGKILL' }
  | { readonly hangup: true }
);

/** Ctrl-C as typed: the terminal turns it into SIGINT for the whole foreground process group. */
export const CTRL_C = '\u0003';

/** Runs the built binary in a pseudo-terminal, not in CI, taking `steps` as the output shows them. */
export async function spec3InTerminal(steps: readonly PtyStep[], args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
  assertBuilt();
  return sh('python3', [PTY_RUN, JSON.stringify(steps), 'node', BIN, ...args], cwd, { ...env, CI: '', NO_COLOR: '1' });
}

/** Runs the built binary in a pseudo-terminal and types `answer` when it asks for the stage name: a person at a terminal. */
export async function spec3Typing(answer: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
  return spec3InTerminal([{ when: 'stage name', type: `${answer}\r`, delay: 0.2 }], args, cwd, env);
}

/** Runs the built binary in a pseudo-terminal and types `answer` (empty: just Enter) once `prompt` is on the screen. */
export async function spec3Answering(prompt: string, answer: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
  return spec3InTerminal([{ when: prompt, type: `${answer}\r`, delay: 0.2 }], args, cwd, env);
}

function assertBuilt(): void {
  if (!existsSync(DIST)) throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the e2e tests');
}
