import { PassThrough } from 'node:stream';
import { Chalk, type ChalkInstance } from 'chalk';
import type { AnswerOf, AskRequest, IoHost, Spec3Event } from '../context.js';
import { AbortError, Spec3Error } from '../errors.js';
import { colorEnabled, isInteractive, type Terminal } from './terminal.js';

export interface HostOptions {
  /** `--yes`: take every question's default without asking. */
  readonly yes: boolean;
  /** `--json`: events are not rendered; the command result is printed as JSON. */
  readonly json: boolean;
  readonly verbose?: boolean;
  /** Aborted by a stop signal: a prompt on screen is cancelled (the run is aborted, nothing answered). */
  readonly signal?: AbortSignal;
  /** Sees every event, rendered or not (the record of what a run has under way). */
  readonly observe?: (event: Spec3Event) => void;
}

/**
 * The terminal side of the engine's IoHost: renders events to stderr (stdout is kept for results)
 * and answers questions by prompting in a TTY, or with the request's default under `--yes`.
 * Without a TTY and without `--yes` it refuses rather than guess.
 */
export class ConsoleHost implements IoHost {
  readonly chalk: ChalkInstance;
  readonly events: Spec3Event[] = [];
  /** A live view (e.g. a task list) that takes events while it is on screen; returns true if it drew the event. */
  view: ((event: Spec3Event) => boolean) | undefined;

  constructor(
    private readonly terminal: Terminal,
    private readonly options: HostOptions,
  ) {
    this.chalk = new Chalk({ level: colorEnabled(terminal) ? 1 : 0 });
  }

  emit(event: Spec3Event): void {
    this.events.push(event);
    this.options.observe?.(event);
    if (this.options.json) return;
    if (this.view?.(event)) return;
    if (event.level === 'debug' && !this.options.verbose) return;
    const c = this.chalk;
    const mark = { debug: c.dim('·'), info: c.cyan('›'), warn: c.yellow('!'), success: c.green('✔') }[event.level];
    this.terminal.stderr.write(`${mark} ${event.level === 'debug' ? c.dim(event.message) : event.message}\n`);
  }

  async ask<R extends AskRequest>(request: R): Promise<AnswerOf<R>> {
    // A stop signal before the question: nothing is asked, and nothing was answered.
    if (this.options.signal?.aborted) throw new AbortError('Interrupted; nothing was changed.');
    if (this.options.yes) {
      // Taking a question's default (init's answers under --yes) needs no line; an approval does.
      return request.yes === undefined ? request.default : this.answered(request, request.yes as AnswerOf<R>);
    }
    if (!isInteractive(this.terminal)) {
      if (request.unattended !== undefined) return this.answered(request, request.unattended as AnswerOf<R>);
      if (request.refusal) throw new Spec3Error(request.refusal.code, request.refusal.message, request.refusal.hint);
      throw new Spec3Error(
        'NEEDS_ANSWER',
        `${request.message} — cannot ask: no interactive terminal.`,
        'Pass --yes to accept the defaults, or give the answer as a flag (see --help).',
      );
    }
    return (await this.prompt(request)) as AnswerOf<R>;
  }

  /**
   * A yes/no question answered without asking (an approval under --yes, an unattended answer) is
   * printed with its answer, so a CI log shows the decisions that were taken for its reader.
   */
  private answered<T>(request: AskRequest, answer: T): T {
    if (request.kind === 'confirm') {
      this.emit({
        code: 'AUTO_ANSWER',
        level: 'info',
        message: `${request.message} ${answer ? 'Yes (auto-confirmed)' : 'No (auto-denied)'}`,
        data: { question: request.code, answer },
      });
    }
    return answer;
  }

  private async prompt(request: AskRequest): Promise<unknown> {
    const prompts = await import('@inquirer/prompts');
    // A prompt ends its output stream when it closes; Node spares only the real stdio from that.
    // Each prompt therefore writes into its own pipe that never ends the terminal's stderr.
    const output = new PassThrough();
    output.pipe(this.terminal.stderr, { end: false });
    const context = {
      input: this.terminal.stdin,
      output,
      clearPromptOnDone: false,
      ...(this.options.signal ? { signal: this.options.signal } : {}),
    };
    // Each request kind validates its own answer type; the prompt only needs "message or true".
    const check = request.validate as ((value: unknown) => string | undefined) | undefined;
    const validate = (value: unknown): string | true => check?.(value) ?? true;
    try {
      switch (request.kind) {
        case 'text':
          return await prompts.input({ message: request.message, default: request.default, validate }, context);
        case 'confirm':
          return await prompts.confirm({ message: request.message, default: request.default }, context);
        case 'select':
          return await prompts.select(
            { message: request.message, default: request.default, choices: [...request.choices] },
            context,
          );
        case 'checkbox':
          return await prompts.checkbox(
            {
              message: request.message,
              choices: request.choices.map((ch) => ({ ...ch, checked: request.default.includes(ch.value) })),
              validate: (items) => validate(items.map((i) => i.value)),
            },
            context,
          );
      }
    } catch (error) {
      // Ctrl-C or a closed stdin inside a prompt: the user aborted; nothing was done.
      if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) {
        throw new AbortError();
      }
      throw error;
    } finally {
      output.unpipe(this.terminal.stderr);
    }
  }
}
