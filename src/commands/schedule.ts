export interface Job {
  readonly name: string;
  /** Names of jobs (of this run) that must succeed first. */
  readonly after: readonly string[];
}

export interface ScheduleResult {
  readonly done: readonly string[];
  readonly failed: ReadonlyMap<string, unknown>;
  /** Jobs never started: a failure, an interruption, or a failed prerequisite stopped them. */
  readonly notStarted: readonly string[];
}

/**
 * Runs jobs as soon as their prerequisites succeed, at most `concurrency` at a time. After a
 * failure or an abort no new job starts, but running ones finish: a stack half-way through a
 * CloudFormation operation is never abandoned by the scheduler.
 */
export async function schedule<J extends Job>(
  jobs: readonly J[],
  concurrency: number,
  run: (job: J) => Promise<void>,
  signal?: AbortSignal,
): Promise<ScheduleResult> {
  const done: string[] = [];
  const failed = new Map<string, unknown>();
  const running = new Map<string, Promise<void>>();
  const pending = [...jobs];
  const names = new Set(jobs.map((j) => j.name));
  const stop = () => failed.size > 0 || Boolean(signal?.aborted);

  for (;;) {
    if (!stop()) {
      for (const job of [...pending]) {
        if (running.size >= concurrency) break;
        if (!job.after.filter((a) => names.has(a)).every((a) => done.includes(a))) continue;
        pending.splice(pending.indexOf(job), 1);
        running.set(
          job.name,
          run(job).then(
            () => {
              done.push(job.name);
            },
            (error: unknown) => {
              failed.set(job.name, error);
            },
          ).finally(() => running.delete(job.name)),
        );
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  return { done, failed, notStarted: pending.map((j) => j.name) };
}
