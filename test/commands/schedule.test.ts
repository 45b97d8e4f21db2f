import { describe, expect, it } from 'vitest';
import { schedule } from '../../src/commands/schedule.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('schedule', () => {
  it('runs independent jobs in parallel up to the limit and dependants after their prerequisites', async () => {
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    const jobs = [
      { name: 'network', after: [] },
      { name: 'security', after: [] },
      { name: 'storage', after: ['security'] },
      { name: 'messaging', after: ['security'] },
      { name: 'outside', after: ['not-in-this-run'] },
    ];
    const result = await schedule(jobs, 2, async (job) => {
      running += 1;
      peak = Math.max(peak, running);
      log.push(`start ${job.name}`);
      await tick();
      log.push(`end ${job.name}`);
      running -= 1;
    });
    expect(peak).toBe(2);
    expect([...result.done].sort()).toEqual(['messaging', 'network', 'outside', 'security', 'storage']);
    expect(log.indexOf('start storage')).toBeGreaterThan(log.indexOf('end security'));
    expect(log.indexOf('start messaging')).toBeGreaterThan(log.indexOf('end security'));
  });

  it('starts nothing new after a failure but lets running jobs finish', async () => {
    const finished: string[] = [];
    const result = await schedule(
      [
        { name: 'a', after: [] },
        { name: 'slow', after: [] },
        { name: 'b', after: ['a'] },
        { name: 'c', after: [] },
      ],
      2,
      async (job) => {
        if (job.name === 'a') throw new Error('boom');
        await tick();
        finished.push(job.name);
      },
    );
    expect([...result.failed.keys()]).toEqual(['a']);
    expect(finished).toEqual(['slow']);
    expect([...result.notStarted].sort()).toEqual(['b', 'c']);
  });

  it('starts nothing once aborted', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    const result = await schedule(
      [
        { name: 'a', after: [] },
        { name: 'b', after: ['a'] },
      ],
      4,
      async (job) => {
        started.push(job.name);
        controller.abort();
        await tick();
      },
      controller.signal,
    );
    expect(started).toEqual(['a']);
    expect(result.notStarted).toEqual(['b']);
  });
});
