import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { answers, isAlive } from './probe.js';

type Env = Readonly<Record<string, string | undefined>>;

/** What `spec3 local start` records about the server it left running. */
export interface LocalState {
  readonly pid: number;
  readonly port: number;
  readonly endpoint: string;
  /** ISO time the server started. */
  readonly startedAt: string;
  /** spec3 version that started it. */
  readonly version: string;
}

/** `~/.spec3`, or `SPEC3_HOME`: where spec3 keeps its own files (tests point it at a temp dir). */
export function spec3Home(env: Env): string {
  return env.SPEC3_HOME || path.join(os.homedir(), '.spec3');
}

export function localStateFile(env: Env): string {
  return path.join(spec3Home(env), 'local.json');
}

/** The output of the server `spec3 local start` runs in the background. */
export function localLogFile(env: Env): string {
  return path.join(spec3Home(env), 'local.log');
}

/** The log file's path, its directory created. */
export async function prepareLocalLog(env: Env): Promise<string> {
  await mkdir(spec3Home(env), { recursive: true });
  return localLogFile(env);
}

export async function writeLocalState(env: Env, state: LocalState): Promise<void> {
  await mkdir(spec3Home(env), { recursive: true });
  await writeFile(localStateFile(env), `${JSON.stringify(state, null, 2)}\n`);
}

export async function removeLocalState(env: Env): Promise<void> {
  await rm(localStateFile(env), { force: true });
}

/** The recorded state as written, whether or not the server still runs. */
async function readLocalStateFile(env: Env): Promise<LocalState | undefined> {
  try {
    return JSON.parse(await readFile(localStateFile(env), 'utf8')) as LocalState;
  } catch {
    return undefined; // none yet, or not ours to read: nothing is running as far as spec3 knows
  }
}

/**
 * The local AWS started by `spec3 local start`, if its process is alive and answers; a state file
 * left by a server that is gone (a reboot, a kill) is removed.
 */
export async function readLocalState(env: Env): Promise<LocalState | undefined> {
  const state = await readLocalStateFile(env);
  if (!state) return undefined;
  if (isAlive(state.pid) && (await answers(state.port))) return state;
  await removeLocalState(env);
  return undefined;
}
