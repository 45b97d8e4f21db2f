import type { AccessGrant } from '../config/schema.js';
import type { ResolvedFunction } from '../config/resolve.js';

/**
 * What a function may touch: what the config grants, plus what its triggers imply (a queue
 * consumer must receive and delete, an S3-triggered function must read the object).
 */
export function grantsOf(fn: ResolvedFunction): ReadonlySet<AccessGrant> {
  const grants = new Set<AccessGrant>(fn.access);
  for (const trigger of fn.triggers) {
    if (trigger.type === 'queue') grants.add('queue:consume');
    if (trigger.type === 's3') grants.add('bucket:read');
  }
  return grants;
}
