import { InvalidArgumentError } from 'commander';

/** A commander option parser for a whole number in [1, max]; a bad value is a usage error. */
export function wholeNumber(max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}, got "${value}"`);
    return n;
  };
}
