import type { ChalkInstance } from 'chalk';
import { describeHolder } from '../../aws/lock-holder.js';
import type { UnlockResult } from '../../commands/unlock/index.js';

/** What unlock removed, or that there was nothing to remove. */
export function renderUnlock(r: UnlockResult, c: ChalkInstance): string[] {
  if (!r.removed) return [`Stage ${r.stage} is not locked (${r.parameter}); nothing to remove.`];
  return [
    `${c.green('✔')} Removed the lock of stage ${r.stage} (${r.parameter}), held by ${describeHolder(r.holder ?? {}, new Date())}${r.abandoned ? ' (that process was no longer running)' : ''}.`,
  ];
}
