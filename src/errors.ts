/**
 * The one error family of spec3. The engine throws these; only `src/cli` turns them into
 * exit codes and text. `code` is stable (tests and `--json` output key on it), `hint` says how to fix.
 */
export class Spec3Error extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Spec3Error';
    this.code = code;
    this.hint = hint;
  }
}

/** The user declined or interrupted: exit 130, nothing is reported as a failure. */
export class AbortError extends Spec3Error {
  constructor(message = 'Aborted.') {
    super('ABORTED', message);
    this.name = 'AbortError';
  }
}

export function isSpec3Error(error: unknown): error is Spec3Error {
  return error instanceof Spec3Error;
}
