/**
 * The narrow context every command receives. The engine talks to the world only through it:
 * events go to `io.emit`, questions to `io.ask` (the host decides whether to prompt, take the
 * default, or refuse). Commands declare what they need with `Pick<Context, ...>`.
 */
export type EventLevel = 'debug' | 'info' | 'warn' | 'success';

export interface Spec3Event {
  /** Stable identifier, e.g. `SYNTH_STACK`; renderers and tests key on it. */
  readonly code: string;
  readonly level: EventLevel;
  readonly message: string;
  readonly data?: unknown;
}

interface AskBase<T> {
  /** Stable identifier of the question, e.g. `INIT_NAME`; lets a host answer it without prompting. */
  readonly code: string;
  readonly message: string;
  /** The answer taken under `--yes`, in CI, or when the user just presses enter. */
  readonly default: T;
  /**
   * The answer when nobody can be asked (no terminal, or CI). Without it the host refuses rather
   * than guess, so a question that guards something destructive leaves it out.
   */
  readonly unattended?: T;
  /**
   * The answer under `--yes` when it differs from `default`: a question whose safe default is No
   * (approve a widening of access) is still answered Yes by a person who passed `--yes`.
   */
  readonly yes?: T;
  /** The error the host refuses with when nobody can be asked and there is no `unattended` answer. */
  readonly refusal?: { readonly code: string; readonly message: string; readonly hint: string };
  /** Returns an error message for an unacceptable answer, or undefined. */
  readonly validate?: (value: T) => string | undefined;
}

export interface Choice<T> {
  readonly value: T;
  readonly name: string;
  readonly description?: string;
}

export type AskRequest =
  | (AskBase<string> & { readonly kind: 'text' })
  | (AskBase<boolean> & { readonly kind: 'confirm' })
  | (AskBase<string> & { readonly kind: 'select'; readonly choices: readonly Choice<string>[] })
  | (AskBase<readonly string[]> & { readonly kind: 'checkbox'; readonly choices: readonly Choice<string>[] });

export type AnswerOf<R extends AskRequest> = R['default'];

export interface IoHost {
  emit(event: Spec3Event): void;
  ask<R extends AskRequest>(request: R): Promise<AnswerOf<R>>;
}

export interface Context {
  /** Directory commands resolve relative paths against. */
  readonly cwd: string;
  readonly io: IoHost;
  /** Environment variables, injected so tests never mutate `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
}
