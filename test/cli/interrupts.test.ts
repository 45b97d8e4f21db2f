import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Interrupts, type SignalSource, type StopSignal } from '../../src/cli/interrupts.js';

/** A process as far as signals go: listeners, and the exit a second signal asks for. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const source: SignalSource = {
    on: (s, l) => emitter.on(s, l),
    removeListener: (s, l) => emitter.removeListener(s, l),
    exit: (code) => void exits.push(code),
  };
  return { source, exits, send: (s: StopSignal) => emitter.emit(s), count: (s: StopSignal) => emitter.listenerCount(s) };
}

describe('stop signals during a run', () => {
  it('stay handled for the whole run (a listener that left would leave signal-exit alone to kill the process), and only then are removed', async () => {
    const p = fakeProcess();
    const stderr = new PassThrough();
    const interrupts = new Interrupts(p.source, stderr, (m) => void stderr.write(`${m}\n`));
    let release!: () => void;
    const done = interrupts.run(async (signal) => {
      expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => p.count(s as StopSignal))).toEqual([1, 1, 1]);
      p.send('SIGTERM');
      expect(signal.aborted).toBe(true);
      // Still listening after the first signal.
      expect(p.count('SIGINT')).toBe(1);
      await new Promise<void>((r) => (release = r));
    });
    release();
    await done;
    expect(interrupts.received).toBe('SIGTERM');
    expect(p.exits).toEqual([]);
    expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => p.count(s as StopSignal))).toEqual([0, 0, 0]);
    expect(String(stderr.read())).toContain('SIGTERM: stopping. Nothing new starts');
  });

  it('a second Ctrl-C exits at once (130), saying what the run leaves behind', async () => {
    const p = fakeProcess();
    const stderr = new PassThrough();
    const interrupts = new Interrupts(p.source, stderr, (m) => void stderr.write(`${m}\n`));
    await interrupts.run(async () => {
      interrupts.observe({ code: 'STAGE_LOCK_TAKEN', level: 'debug', message: '', data: { stage: 'dev', parameter: '/spec3/demo/dev/lock', unlock: 'spec3 unlock dev --local --force' } });
      interrupts.observe({ code: 'STACK_START', level: 'info', message: '', data: { stack: 'demo-dev-network' } });
      interrupts.observe({ code: 'CHANGE_SET_CREATED', level: 'debug', message: '', data: { stack: 'demo-dev-storage', id: 'arn:aws:cloudformation:us-east-1:1:changeSet/spec3-1/x' } });
      interrupts.observe({ code: 'STACK_START', level: 'info', message: '', data: { stack: 'demo-dev-queue' } });
      interrupts.observe({ code: 'STACK_DONE', level: 'success', message: '', data: { stack: 'demo-dev-queue' } });
      p.send('SIGINT');
      p.send('SIGINT');
    });
    expect(p.exits).toEqual([130]);
    const text = String(stderr.read());
    expect(text).toContain('Ctrl-C again: exiting at once. Left behind:');
    expect(text).toContain('the lock of stage dev (/spec3/demo/dev/lock): clear it with `spec3 unlock dev --local --force`');
    expect(text).toContain('change set x of demo-dev-storage, not executed');
    expect(text).toContain('demo-dev-network: its operation had started');
    expect(text).not.toContain('demo-dev-queue');
  });

  it('a second signal after the lock was released and nothing is under way says nothing was left', async () => {
    const p = fakeProcess();
    const stderr = new PassThrough();
    const interrupts = new Interrupts(p.source, stderr, (m) => void stderr.write(`${m}\n`));
    await interrupts.run(async () => {
      interrupts.observe({ code: 'STAGE_LOCK_TAKEN', level: 'debug', message: '', data: { stage: 'dev', parameter: '/p', unlock: 'u' } });
      interrupts.observe({ code: 'STAGE_LOCK_RELEASED', level: 'debug', message: '', data: {} });
      p.send('SIGHUP');
      p.send('SIGTERM');
    });
    expect(p.exits).toEqual([143]);
    expect(String(stderr.read())).toContain('Nothing was left behind');
  });
});
