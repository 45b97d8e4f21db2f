import type { AwsClients } from '../aws/clients.js';
import { describeStack, isInProgress } from '../aws/cfn/stacks.js';
import type { Context } from '../context.js';
import { AbortError } from '../errors.js';

/** Before anything was changed: an interrupted run stops here, the lock (if taken) released on the way out. */
export function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError('Interrupted; nothing was changed.');
}

export interface InterruptReport {
  /** The event that carries each started stack's state, e.g. DEPLOY_INTERRUPTED. */
  readonly code: string;
  /** e.g. "no new stack was started". */
  readonly nothingNew: string;
  /** e.g. "CloudFormation is still working on". */
  readonly busy: string;
  /** The command that finishes the stage, for the run's target. */
  readonly again: string;
  /** What else the run had done before it stopped (e.g. data deleted), said last. */
  readonly detail?: string;
}

/**
 * After a stop signal, in deploy and destroy alike: what CloudFormation is still doing on the
 * stacks this run had started (their waits ended, their operations may not have), read again.
 * A failed read does not turn the interruption into an error: that state is said to be unknown.
 */
export async function interruptedError(
  aws: AwsClients,
  started: readonly { readonly name: string; readonly id?: string }[],
  ctx: Pick<Context, 'io'>,
  report: InterruptReport,
): Promise<AbortError> {
  const states = await Promise.all(
    started.map(async (s) => ({
      name: s.name,
      // By id, a deleted stack still answers (DELETE_COMPLETE); by name it is gone.
      status: await describeStack(aws, s.id ?? s.name).then((d) => d?.status ?? (s.id ? 'DELETE_COMPLETE' : 'gone'), () => 'UNKNOWN (could not be read)'),
    })),
  );
  // REVIEW_IN_PROGRESS is a create whose change set never ran: nothing is being done to it.
  const busy = states.filter((s) => isInProgress(s.status));
  const stopped = states.filter((s) => !isInProgress(s.status));
  ctx.io.emit({ code: report.code, level: 'warn', message: 'Interrupted', data: states });
  const parts = [
    `Interrupted; ${report.nothingNew}${busy.length === 0 ? ' and no stack operation is in progress' : ''}.`,
    busy.length > 0 ? `${report.busy}: ${busy.map((s) => `${s.name} (${s.status})`).join(', ')}.` : '',
    stopped.length > 0 ? `Under way when stopped: ${stopped.map((s) => `${s.name} (${stateNote(s.status)})`).join(', ')}.` : '',
    busy.length > 0 ? `Run \`${report.again}\` to wait for it and finish the stage.` : `Run \`${report.again}\` to finish the stage.`,
    report.detail ?? '',
  ];
  return new AbortError(parts.filter(Boolean).join(' '));
}

/** A stopped stack's state, said in words where the status alone would puzzle. */
function stateNote(status: string): string {
  if (status === 'REVIEW_IN_PROGRESS') return 'REVIEW_IN_PROGRESS: its change set was not executed, nothing was created';
  if (status === 'gone') return 'not created';
  return status;
}
