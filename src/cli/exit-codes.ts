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
