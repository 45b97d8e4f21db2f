import type { Context } from '../../context.js';
import { startLocalAws } from '../../aws/local/launcher.js';
import { stopProcess } from '../../aws/local/probe.js';
import {
  localLogFile,
  prepareLocalLog,
  readLocalState,
  removeLocalState,
  writeLocalState,
  type LocalState,
} from '../../aws/local/state.js';
import { findPackageRoot, packageVersion } from '../../templates/tree.js';

export interface LocalStartOptions {
  /** 0 or unset: a free port. */
  readonly port?: number;
}

/** Where the local AWS is, as `start` and `status` report it. */
export interface LocalStatusResult {
  readonly running: boolean;
  readonly endpoint?: string;
  readonly port?: number;
  readonly pid?: number;
  readonly startedAt?: string;
  readonly uptimeSeconds?: number;
  /** The background server's output. */
  readonly logFile: string;
}

export interface LocalStartResult extends LocalStatusResult {
  readonly running: true;
  readonly endpoint: string;
  /** false: one was already running, and that one is reported. */
  readonly started: boolean;
}

export interface LocalStopResult {
  readonly stopped: boolean;
  readonly pid?: number;
  readonly endpoint?: string;
}

type LocalContext = Pick<Context, 'env' | 'io'>;

/**
 * `spec3 local start`: runs spec3's local AWS in the background (it outlives this command) and
 * records it in ~/.spec3/local.json, where `--local` finds it. Idempotent: a running one is reported.
 */
export async function start(options: LocalStartOptions, ctx: LocalContext): Promise<LocalStartResult> {
  const running = await readLocalState(ctx.env);
  if (running) return { ...describe(running, localLogFile(ctx.env)), running: true, endpoint: running.endpoint, started: false };
  ctx.io.emit({ code: 'LOCAL_STARTING', level: 'info', message: "Starting the local AWS (moto with spec3's fixes)…" });
  const logFile = await prepareLocalLog(ctx.env);
  const server = await startLocalAws({ port: options.port, detached: true, logFile, env: ctx.env });
  const state: LocalState = {
    pid: server.pid,
    port: server.port,
    endpoint: server.endpoint,
    startedAt: new Date().toISOString(),
    version: packageVersion(findPackageRoot(import.meta.url)),
  };
  await writeLocalState(ctx.env, state);
  return { ...describe(state, logFile), running: true, endpoint: state.endpoint, started: true };
}

/** `spec3 local stop`: stops the background server and forgets it; none running is not an error. */
export async function stop(_options: object, ctx: LocalContext): Promise<LocalStopResult> {
  const running = await readLocalState(ctx.env);
  if (!running) return { stopped: false };
  await stopProcess(running.pid);
  await removeLocalState(ctx.env);
  return { stopped: true, pid: running.pid, endpoint: running.endpoint };
}

/** `spec3 local status`: whether the background server runs, where, and for how long. */
export async function status(_options: object, ctx: LocalContext): Promise<LocalStatusResult> {
  const running = await readLocalState(ctx.env);
  return running ? describe(running, localLogFile(ctx.env)) : { running: false, logFile: localLogFile(ctx.env) };
}

function describe(state: LocalState, logFile: string): LocalStatusResult {
  return {
    running: true,
    endpoint: state.endpoint,
    port: state.port,
    pid: state.pid,
    startedAt: state.startedAt,
    uptimeSeconds: Math.max(0, Math.round((Date.now() - Date.parse(state.startedAt)) / 1000)),
    logFile,
  };
}
