import type { ChangeSetStep } from '../aws/cfn/change-set.js';
import type { ResourceEvent } from '../aws/cfn/wait.js';
import type { IoHost } from '../context.js';
import { AbortError } from '../errors.js';

/** Reports one stack's CloudFormation events as RESOURCE_EVENT (shown with -v). */
export function resourceEvents(io: IoHost, stack: string): (event: ResourceEvent) => void {
  return (event) =>
    io.emit({
      code: 'RESOURCE_EVENT',
      level: 'debug',
      message: `${stack} ${event.logicalId} ${event.status}${event.reason ? ` ${event.reason}` : ''}`,
      data: event,
    });
}

/** Reports a stack's change set as it is created, executed or deleted: CHANGE_SET_CREATED, _EXECUTED, _DELETED (debug). */
export function changeSetEvents(io: IoHost, stack: string): (id: string, step: ChangeSetStep) => void {
  return (id, step) =>
    io.emit({ code: `CHANGE_SET_${step.toUpperCase()}`, level: 'debug', message: `${stack}: change set ${step} (${id})`, data: { stack, id } });
}

/**
 * Times one stack's operation and reports it the way deploy's and destroy's live views expect:
 * STACK_START, then STACK_DONE with the action `finished` names, or STACK_FAILED. `failed` runs
 * before the error is rethrown, so the caller can record the failure with its duration.
 */
export async function stackJob<T>(
  io: IoHost,
  stack: string,
  startMessage: string,
  work: () => Promise<T>,
  finished: (result: T, durationMs: number) => string,
  failed: (durationMs: number) => void,
): Promise<void> {
  const t0 = Date.now();
  io.emit({ code: 'STACK_START', level: 'info', message: startMessage, data: { stack } });
  try {
    const result = await work();
    const durationMs = Date.now() - t0;
    const action = finished(result, durationMs);
    io.emit({
      code: 'STACK_DONE',
      level: 'success',
      message: `${stack} ${action} in ${(durationMs / 1000).toFixed(1)} s`,
      data: { stack, action, durationMs },
    });
  } catch (error) {
    failed(Date.now() - t0);
    if (!(error instanceof AbortError)) {
      // Plain output prints the reasons once, in the final error; a live view marks the task.
      io.emit({ code: 'STACK_FAILED', level: 'debug', message: (error as Error).message, data: { stack } });
    }
    throw error;
  }
}
