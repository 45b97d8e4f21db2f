import type { Spec3Event } from '../context.js';

interface LockLeft {
  readonly stage: string;
  readonly parameter: string;
  readonly unlock: string;
}

/**
 * What a run has under way, kept from the engine's events so that a run stopped at once (a second
 * Ctrl-C) can say what it leaves behind: the stage lock, change sets not executed, and stacks
 * CloudFormation may still be working on.
 */
export class RunLedger {
  private lock: LockLeft | undefined;
  private readonly changeSets = new Map<string, string>();
  private readonly stacks = new Set<string>();

  readonly observe = (event: Spec3Event): void => {
    const data = (event.data ?? {}) as { stack?: string; id?: string } & Partial<LockLeft>;
    switch (event.code) {
      case 'STAGE_LOCK_TAKEN':
        if (data.parameter && data.unlock) this.lock = { stage: data.stage ?? '', parameter: data.parameter, unlock: data.unlock };
        break;
      case 'STAGE_LOCK_RELEASED':
        this.lock = undefined;
        break;
      case 'CHANGE_SET_CREATED':
        if (data.id && data.stack) this.changeSets.set(data.id, data.stack);
        break;
      case 'CHANGE_SET_EXECUTED':
        if (data.id) this.changeSets.delete(data.id);
        if (data.stack) this.stacks.add(data.stack);
        break;
      case 'CHANGE_SET_DELETED':
        if (data.id) this.changeSets.delete(data.id);
        break;
      case 'STACK_START':
        if (data.stack) this.stacks.add(data.stack);
        break;
      case 'STACK_DONE':
      case 'STACK_FAILED':
        if (data.stack) this.stacks.delete(data.stack);
        break;
    }
  };

  /** One line per thing left behind, each saying what to do about it; empty when nothing is. */
  leftBehind(): string[] {
    const lines: string[] = [];
    if (this.lock) lines.push(`the lock of stage ${this.lock.stage} (${this.lock.parameter}): clear it with \`${this.lock.unlock}\``);
    for (const [id, stack] of this.changeSets) {
      lines.push(`change set ${id.slice(id.lastIndexOf('/') + 1)} of ${stack}, not executed: it changes nothing, and the next deploy makes a new one`);
    }
    const pending = new Set(this.changeSets.values());
    for (const stack of this.stacks) {
      if (!pending.has(stack)) lines.push(`${stack}: its operation had started; CloudFormation may still be working on it (the next run waits for it)`);
    }
    return lines;
  }
}
