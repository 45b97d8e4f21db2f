import { describe, expect, it } from 'vitest';
import { callTimeouts, DEFAULT_TIMEOUTS } from '../../src/aws/timeouts.js';

describe('callTimeouts', () => {
  it('5 s to connect and 60 s per request unless SPEC3_CONNECT_TIMEOUT / SPEC3_CALL_TIMEOUT (seconds) say otherwise', () => {
    expect(callTimeouts({})).toEqual({ connectMs: 5_000, requestMs: 60_000 });
    expect(DEFAULT_TIMEOUTS).toEqual({ connectMs: 5_000, requestMs: 60_000 });
    expect(callTimeouts({ SPEC3_CONNECT_TIMEOUT: '2', SPEC3_CALL_TIMEOUT: '0.5' })).toEqual({ connectMs: 2_000, requestMs: 500 });
    expect(callTimeouts({ SPEC3_CALL_TIMEOUT: '' })).toEqual(DEFAULT_TIMEOUTS);
  });

  it('refuses a value that is not a number of seconds from 0.1 to 3600, naming the variable and the fix', () => {
    for (const bad of ['abc', '0', '-1', '0.01', '3601']) {
      expect(() => callTimeouts({ SPEC3_CALL_TIMEOUT: bad })).toThrow(
        expect.objectContaining({ code: 'BAD_TIMEOUT', message: `SPEC3_CALL_TIMEOUT must be a number of seconds from 0.1 to 3600, got "${bad}".` }),
      );
    }
    expect(() => callTimeouts({ SPEC3_CONNECT_TIMEOUT: 'x' })).toThrow(expect.objectContaining({ hint: 'Set SPEC3_CONNECT_TIMEOUT to e.g. 5, or unset it for the default of 5 s.' }));
  });
});
