import type { Writable } from 'node:stream';
import type { Spec3Event } from '../context.js';
import { RunLedger } from './run-ledger.js';

/** The signals that ask a run to stop: Ctrl-C, `kill` / a cancelled CI job, a closed terminal. */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
export const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** 128 + the signal's number, the code shells give a process ended by that signal. */
export const SIGNAL_EXIT_CODE: Readonly<Record<StopSignal, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** The process as far as signals go; injected so the handling can be tested in-process. */
export interface SignalSource {
  on(signal: StopSignal, listener: () => void): unknown;
  removeListener(signal: StopSignal, listener: () => void): unknown;
  /** Ends the process now: only a second signal does this, when the user will not wait for the cleanup. */
  exit(code: number): void;
}

const NAMES: Readonly<Record<StopSignal, string>> = { SIGINT: 'Ctrl-C', SIGTERM: 'SIGTERM', SIGHUP: 'SIGHUP (terminal closed)' };

/**
 * Signal handling for one run of a command that changes AWS. The listeners stay registered for the
 * whole run: a one-shot listener that removed itself would leave the one of `signal-exit` (pulled in
 * by the task list) alone, and that one re-raises the signal and kills the process on the spot.
 *
 * First signal: `signal` aborts; the engine starts nothing new, deletes change sets not executed,
 * releases the lock and reports what CloudFormation is still doing. Second signal: the process
 * exits at once, saying what it leaves behind (from the events the run emitted).
 */
export class Interrupts {
  private readonly controller = new AbortController();
  private readonly ledger = new RunLedger();
  /** The first stop signal received, if any. */
  received: StopSignal | undefined;

  /** The terminal's own write, taken before a task list diverts the stream into its buffer: a second signal's last words must not wait for it. */
  private readonly write: (text: string) => void;

  constructor(
    private readonly source: SignalSource,
    stderr: Writable,
    /** Says that the run is stopping, where the user looks: the live view if one is on screen, else a line. */
    private readonly notify: (message: string) => void,
  ) {
    const write = stderr.write.bind(stderr);
    this.write = (text) => void write(text);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Feed every event of the run here. */
  readonly observe = (event: Spec3Event): void => this.ledger.observe(event);

  async run<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const listeners = STOP_SIGNALS.map((sig) => [sig, () => this.stop(sig)] as const);
    for (const [sig, listener] of listeners) this.source.on(sig, listener);
    try {
      return await work(this.controller.signal);
    } finally {
      for (const [sig, listener] of listeners) this.source.removeListener(sig, listener);
    }
  }

  private stop(sig: StopSignal): void {
    if (!this.received) {
      this.received = sig;
      this.notify(`${NAMES[sig]}: stopping. Nothing new starts; change sets not executed are deleted and the stage lock is released. Press Ctrl-C again to exit at once.`);
      this.controller.abort();
      return;
    }
    const left = this.ledger.leftBehind();
    this.write(
      left.length > 0
        ? `\n${NAMES[sig]} again: exiting at once. Left behind:\n${left.map((l) => `  - ${l}\n`).join('')}`
        : `\n${NAMES[sig]} again: exiting at once. Nothing was left behind: no lock held, no change set pending, no stack operation started.\n`,
    );
    this.source.exit(SIGNAL_EXIT_CODE[sig]);
  }
}
