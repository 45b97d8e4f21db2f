import { describe, expect, it } from 'vitest';
import { approvalFlag, phase, wholeNumber } from '../../src/cli/parse.js';

describe('option parsers', () => {
  it('wholeNumber takes 1..max and names the flag otherwise', () => {
    const concurrency = wholeNumber('--concurrency', 16);
    expect(concurrency('1')).toBe(1);
    expect(concurrency('16')).toBe(16);
    for (const bad of ['0', '17', '-1', '2.5', 'four', '', ' ']) {
      expect(() => concurrency(bad), bad).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTION',
          message: `--concurrency ${JSON.stringify(bad)}: expected a whole number from 1 to 16.`,
          hint: 'Pass --concurrency a whole number from 1 to 16, or leave the flag out for its default (see --help).',
        }),
      );
    }
  });

  it('phase takes the three phases and lists them otherwise', () => {
    expect(['foundation', 'app', 'integrations'].map(phase)).toEqual(['foundation', 'app', 'integrations']);
    expect(() => phase('Foundation')).toThrow(
      expect.objectContaining({
        code: 'UNKNOWN_PHASE',
        message: '--phase "Foundation": unknown phase.',
        hint: 'Use one of: foundation, app, integrations; or leave --phase out for every phase.',
      }),
    );
  });
});

describe('--require-approval', () => {
  it('takes never, broadening and any, and names the levels otherwise', () => {
    expect(['never', 'broadening', 'any'].map(approvalFlag)).toEqual(['never', 'broadening', 'any']);
    expect(() => approvalFlag('always')).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: '--require-approval "always": expected one of never, broadening, any.' }),
    );
  });
});
