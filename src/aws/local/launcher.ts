import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Spec3Error } from '../../errors.js';
import { findPackageRoot } from '../../templates/tree.js';
import { answers, HOST, POLL_MS, sleep, stopProcess } from './probe.js';

export { readLocalState } from './state.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Exit code of local/spec3_moto.py when moto cannot be imported. */
const MOTO_MISSING = 3;
// moto imports its many service modules before it listens: about 3 s on an idle machine, several
// times that on a loaded CI runner. Waiting is cheap; a false "did not answer" is not.
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;
const TAIL_LINES = 12;

export interface StartLocalAwsOptions {
  /** 0 or unset: a free port. */
  readonly port?: number;
  /** Python with moto installed; default `SPEC3_PYTHON` from `env`, else `python3`. */
  readonly python?: string;
  /** Survive the caller: own process group, output to `logFile`. */
  readonly detached?: boolean;
  /** Where a detached server writes its output (truncated at start). */
  readonly logFile?: string;
  /** false runs moto's server as installed, without spec3's fixes: tests show the bugs they fix. */
  readonly patched?: boolean;
  /** Environment of the server and of the `SPEC3_PYTHON` lookup; the engine passes `ctx.env`. */
  readonly env?: Env;
  readonly timeoutMs?: number;
}

export interface LocalAws {
  /** `http://localhost:PORT`, for `AWS_ENDPOINT_URL` and SDK clients. */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
  /** Forgets every resource of every service (POST /moto-api/reset). */
  reset(): Promise<void>;
}

/** spec3's local AWS (moto with spec3's fixes, `local/spec3_moto.py`), started and answering. */
export async function startLocalAws(options: StartLocalAwsOptions = {}): Promise<LocalAws> {
  const env = options.env ?? process.env;
  const python = options.python ?? (env.SPEC3_PYTHON || 'python3');
  const script = serverScript();
  const args = options.patched === false ? ['-m', 'moto.server'] : [script];
  // A free port found here can be taken before moto binds it; then try another.
  for (let attempt = 1; ; attempt++) {
    const port = options.port || (await freePort());
    if (options.port && !(await isFree(port))) {
      throw failed(`Port ${port} is already in use.`, [], 'Choose another port, or stop the program listening on it.');
    }
    try {
      return await launch(python, [...args, '-H', HOST, '-p', String(port)], port, env, options);
    } catch (error) {
      const retry = !options.port && attempt < 3 && error instanceof PortTaken;
      if (!retry) throw error instanceof PortTaken ? failed(error.message) : error;
    }
  }
}

/** Forgets every resource of every service of the local AWS at `endpoint`. */
export async function resetLocalAws(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw failed(`Resetting the local AWS at ${endpoint} answered HTTP ${response.status}.`);
}

function serverScript(): string {
  const script = path.join(findPackageRoot(import.meta.url), 'local', 'spec3_moto.py');
  if (!existsSync(script)) {
    throw new Spec3Error('LOCAL_AWS_UNAVAILABLE', `spec3's local AWS server is missing: ${script}.`, 'Reinstall spec3: its package is incomplete.');
  }
  return script;
}

class PortTaken extends Error {}

async function launch(python: string, args: string[], port: number, env: Env, options: StartLocalAwsOptions): Promise<LocalAws> {
  const detached = Boolean(options.detached);
  if (detached && !options.logFile) throw new Error('startLocalAws: a detached server needs a logFile');
  const log = detached ? openSync(options.logFile!, 'w') : undefined;
  const output = new Tail();
  let child: ChildProcess;
  try {
    child = spawn(python, args, {
      // An attached server exits with its parent, even one that dies without stopping it.
      env: { ...env, MOTO_PORT: String(port), ...(detached ? {} : { SPEC3_MOTO_PARENT_PID: String(process.pid) }) },
      detached,
      stdio: log === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', log, log],
    });
  } finally {
    if (log !== undefined) closeSync(log);
  }
  // Drained continuously: moto logs every request, and a full pipe would stall the server.
  child.stdout?.on('data', (chunk: Buffer) => output.add(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.add(chunk));
  const exited = new Promise<{ code: number | null; error?: NodeJS.ErrnoException }>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, error }));
    child.once('exit', (code) => resolve({ code }));
  });
  const lastLines = () => (detached ? tailOfFile(options.logFile!) : output.lines());
  const polling = new AbortController();
  const outcome = await Promise.race([exited, answering(port, options.timeoutMs ?? START_TIMEOUT_MS, polling.signal)]);
  polling.abort(); // a process that exited is not waited for any longer
  if (outcome === 'answering') {
    if (detached) child.unref();
    return handle(child, port, detached, exited);
  }
  if (outcome === 'timeout') {
    if (child.pid) await stopProcess(child.pid);
    throw failed(`The local AWS did not answer on port ${port} within ${(options.timeoutMs ?? START_TIMEOUT_MS) / 1000} s.`, lastLines());
  }
  throw exitError(python, outcome, lastLines());
}

function handle(child: ChildProcess, port: number, detached: boolean, exited: Promise<unknown>): LocalAws {
  const pid = child.pid!;
  const endpoint = `http://localhost:${port}`;
  return {
    endpoint,
    port,
    pid,
    async stop() {
      if (detached) return stopProcess(pid);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
    reset: () => resetLocalAws(endpoint),
  };
}

async function answering(port: number, timeoutMs: number, stop: AbortSignal): Promise<'answering' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stop.aborted) {
    if (await answers(port, 500)) return 'answering';
    await sleep(POLL_MS);
  }
  return 'timeout';
}

function exitError(python: string, outcome: { code: number | null; error?: NodeJS.ErrnoException }, lines: string[]): Error {
  const text = lines.join('\n');
  if (outcome.error?.code === 'ENOENT') {
    return unavailable(`Python not found: "${python}".`);
  }
  if (outcome.code === MOTO_MISSING || /No module named '?moto/.test(text)) {
    return unavailable(`moto is not installed for ${python}.`);
  }
  if (/Address already in use|is in use by another program/.test(text)) {
    return new PortTaken(`The local AWS could not listen: ${lines.at(-1) ?? 'address in use'}`);
  }
  return failed(`The local AWS exited (code ${outcome.code ?? outcome.error?.code ?? '?'}) before it answered.`, lines);
}

function unavailable(message: string): Spec3Error {
  return new Spec3Error(
    'LOCAL_AWS_UNAVAILABLE',
    `${message} spec3's local AWS runs moto's server, which needs Python 3 with moto.`,
    "Install it with pip install 'moto[server]' (SPEC3_PYTHON picks the Python), or run LocalStack and pass --endpoint http://localhost:4566.",
  );
}

function failed(message: string, lines: string[] = [], hint?: string): Spec3Error {
  const shown = lines.length > 0 ? `\n  ${lines.join('\n  ')}` : '';
  return new Spec3Error('LOCAL_AWS_FAILED', `${message}${shown}`, hint ?? (shown ? 'The indented lines are the last the server wrote.' : undefined));
}

/** The last lines a process wrote, kept while it runs. */
class Tail {
  private text = '';

  add(chunk: Buffer): void {
    this.text = (this.text + chunk.toString('utf8')).slice(-8_000);
  }

  lines(): string[] {
    return lastLines(this.text);
  }
}

function tailOfFile(file: string): string[] {
  try {
    return lastLines(readFileSync(file, 'utf8').slice(-8_000));
  } catch {
    return [];
  }
}

function lastLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .slice(-TAIL_LINES);
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

