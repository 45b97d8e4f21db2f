import type { DriftResult } from '../commands/drift/index.js';
import { AbortError, Spec3Error } from '../errors.js';

export const EXIT = {
  ok: 0,
  error: 1,
  /** `diff` / `drift` found changes. */
  changes: 2,
  aborted: 130,
} as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof AbortError) return EXIT.aborted;
  if (error instanceof Spec3Error) return EXIT.error;
  return EXIT.error;
}

/** drift: 1 when any stack could not be checked (never "in sync" or "drift" then), 2 drift, 0 in sync. */
export function driftExitCode(result: Pick<DriftResult, 'failed' | 'drifted'>): number {
  if (result.failed > 0) return EXIT.error;
  return result.drifted > 0 ? EXIT.changes : EXIT.ok;
}
