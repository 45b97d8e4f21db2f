import type { DriftResult } from '../commands/drift/index.js';
import { AbortError, Spec3Error } from '../errors.js';

export const EXIT = {
  ok: 0,
  error: 1,
  /** `diff` / `drift` found changes. */
  changes: 2,
  aborted: 130,
} as const;

/**
 * The exit code of a command that looks for changes (`diff`, `drift`) and finished: 2 when it found
 * some, else 0. Pass it to `runCommand` as the result's exit code; a failure never gets here, it
 * exits through `exitCodeFor` with 1 (or 130), so CI can tell "changes" from "could not tell".
 */
export function changesExitCode(found: boolean): number {
  return found ? EXIT.changes : EXIT.ok;
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof AbortError) return EXIT.aborted;
  if (error instanceof Spec3Error) return EXIT.error;
  return EXIT.error;
}

/** drift: 1 when any stack could not be checked (never "in sync" or "drift" then), 2 drift, 0 in sync. */
export function driftExitCode(result: Pick<DriftResult, 'failed' | 'drifted'>): number {
  return result.failed > 0 ? EXIT.error : changesExitCode(result.drifted > 0);
}
