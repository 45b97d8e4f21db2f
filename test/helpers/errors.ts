import { Spec3Error } from '../../src/errors.js';

/** The Spec3Error `fn` throws; fails when it throws nothing or something else. */
export function spec3ErrorOf(fn: () => unknown): Spec3Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Spec3Error) return error;
    throw error;
  }
  throw new Error('expected a Spec3Error, but nothing was thrown');
}

/** The Spec3Error `promise` rejects with; fails when it resolves or rejects with something else. */
export async function spec3RejectionOf(promise: Promise<unknown>): Promise<Spec3Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Spec3Error) return error;
    throw error;
  }
  throw new Error('expected a Spec3Error, but the promise resolved');
}
