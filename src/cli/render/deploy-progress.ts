import type { Spec3Event } from '../../context.js';

/** How a stack's task ends: done, or stopped (the run ended, e.g. by Ctrl-C, before the stack did). */
type Ending = 'done' | 'stopped';

interface Deferred {
  promise: Promise<Ending>;
  resolve: (ending: Ending) => void;
  reject: (error: Error) => void;
  output?: (line: string) => void;
}

function deferred(): Deferred {
  let resolve!: (ending: Ending) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<Ending>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * A listr2 task list per phase, one task per stack, fed by the engine's events: the stack's
 * latest resource event shows under its task. Used only in an interactive terminal; elsewhere
 * the same events print as plain lines.
 */
export class DeployProgress {
  private readonly stacks = new Map<string, Deferred>();
  private chain: Promise<void> = Promise.resolve();
  /** The task of the phase on screen: a stopping run says so in its title. */
  private phaseTask: { title: string } | undefined;

  /** The host's view hook: takes the events it draws, leaves the rest to plain rendering. */
  readonly view = (event: Spec3Event): boolean => {
    const data = (event.data ?? {}) as { stack?: string; phase?: string; stacks?: string[] };
    switch (event.code) {
      case 'PHASE_START':
        this.startPhase(data.phase ?? '', data.stacks ?? []);
        return true;
      case 'STACK_START':
      case 'STACK_CHANGES':
      case 'RESOURCE_EVENT':
      case 'STACK_NOTICE':
        this.stacks.get(data.stack ?? '')?.output?.(event.message);
        return this.stacks.has(data.stack ?? '');
      case 'STACK_DONE':
        this.stacks.get(data.stack ?? '')?.resolve('done');
        return this.stacks.has(data.stack ?? '');
      case 'STACK_FAILED':
        this.stacks.get(data.stack ?? '')?.reject(new Error(event.message));
        return this.stacks.has(data.stack ?? '');
      case 'RUN_STOPPING':
        // Lines written under a task list wait until it ends; its title is where the user looks.
        if (!this.phaseTask) return false;
        this.phaseTask.title = `${this.phaseTask.title}: ${event.message}`;
        return true;
      default:
        return false;
    }
  };

  private startPhase(phase: string, names: readonly string[]): void {
    for (const name of names) this.stacks.set(name, deferred());
    const tasks = names.map((name) => ({
      title: name,
      task: async (_: unknown, task: { output: string; title: string; skip: (message: string) => void }) => {
        const d = this.stacks.get(name)!;
        d.output = (line) => {
          task.output = line;
        };
        if ((await d.promise) === 'stopped') task.skip(`${name}: stopped`);
      },
    }));
    this.chain = this.chain.then(async () => {
      const { Listr } = await import('listr2');
      // A pseudo-terminal without a window size reports 0 columns, and the task list would wrap
      // after every character; 80 is what terminals assume when they cannot tell.
      if (process.stdout.isTTY && !process.stdout.columns) process.stdout.columns = 80;
      const list = new Listr(
        [
          {
            title: `Phase ${phase}`,
            task: (_: unknown, task) => {
              this.phaseTask = task;
              return task.newListr(tasks, { concurrent: true, exitOnError: false });
            },
          },
        ],
        { exitOnError: false, registerSignalListeners: false, rendererOptions: { collapseSubtasks: false } },
      );
      await list.run().catch(() => undefined);
      this.phaseTask = undefined;
    });
  }

  /** Resolves once every task list has drawn its final state; call before printing the result. Stacks not done by then show as stopped. */
  async finish(): Promise<void> {
    for (const d of this.stacks.values()) d.resolve('stopped');
    await this.chain;
  }
}
