import { Spec3Error } from '../errors.js';
import { PHASES, isPhase, type Phase } from '../stack/phases.js';
import { APPROVAL_LEVELS, type ApprovalLevel } from '../config/approval.js';

/**
 * Option parsers for commander. They throw a Spec3Error that names the flag, so a bad value fails
 * like any other bad input (code, message, hint; JSON under --json) before any work starts.
 */

/** A whole number in [1, max], e.g. `wholeNumber('--concurrency', 16)`. */
export function wholeNumber(flag: string, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < 1 || n > max) {
      throw new Spec3Error(
        'INVALID_OPTION',
        `${flag} ${JSON.stringify(value)}: expected a whole number from 1 to ${max}.`,
        `Pass ${flag} a whole number from 1 to ${max}, or leave the flag out for its default (see --help).`,
      );
    }
    return n;
  };
}

/** `--phase`: checked when parsed, so a typo fails before the stage is synthesized. */
export function phase(value: string): Phase {
  if (!isPhase(value)) {
    throw new Spec3Error(
      'UNKNOWN_PHASE',
      `--phase ${JSON.stringify(value)}: unknown phase.`,
      `Use one of: ${PHASES.join(', ')}; or leave --phase out for every phase.`,
    );
  }
  return value;
}

/** `--require-approval never|broadening|any`. */
export function approvalFlag(value: string): ApprovalLevel {
  if (!(APPROVAL_LEVELS as readonly string[]).includes(value)) {
    throw new Spec3Error(
      'INVALID_OPTION',
      `--require-approval ${JSON.stringify(value)}: expected one of ${APPROVAL_LEVELS.join(', ')}.`,
      `Pass --require-approval one of: ${APPROVAL_LEVELS.join(', ')}; or leave it out for "broadening" (see --help).`,
    );
  }
  return value as ApprovalLevel;
}
