import { DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { writeProject } from '../../helpers/project.js';
import { useTempDirs } from '../../helpers/tmp.js';
import { cfnMock, ENV, fakeAws, resetMocks, type FakeStackInput } from './fake-aws.js';
import { streams, typeAnswers, type Streams } from '../../helpers/terminal.js';

const tempDir = useTempDirs();
const BACKSPACE = '\u007f';

const STACKS: FakeStackInput[] = [
  {
    name: 'orders-dev-storage',
    resources: [
      { logicalId: 'DataBucket', type: 'AWS::S3::Bucket', physicalId: 'orders-dev-data-123456789012-us-east-1', deletionPolicy: 'Retain' },
      { logicalId: 'LogsBucket', type: 'AWS::S3::Bucket', physicalId: 'orders-dev-logs' },
    ],
  },
  { name: 'orders-dev-compute' },
];

let dir: string;
beforeEach(async () => {
  resetMocks();
  dir = await tempDir();
  await writeProject(dir);
});

const cli = (argv: string[], s: Streams, env: Record<string, string> = {}) => main(argv, { cwd: dir, env: { NO_COLOR: '1', ...ENV, ...env }, ...s });

describe('spec3 destroy (in-process)', () => {
  it('--help shows the flags, examples and exit codes, and offers no --yes', async () => {
    const s = streams(false);
    expect(await cli(['destroy', '--help'], s)).toBe(0);
    for (const text of ['--phase <phase>', '--force', '--allow-protected', '--local', '--max-attempts <n>', 'Examples:', 'Exit codes: 0 destroyed or nothing to destroy']) {
      expect(s.out()).toContain(text);
    }
    expect(s.out()).not.toMatch(/-y, --yes/);
    const yes = streams(false);
    expect(await cli(['destroy', 'dev', '--yes'], yes)).toBe(1);
    expect(yes.err()).toContain("unknown option '--yes'");
  });

  it('without a terminal: shows the plan, then refuses (exit 1) naming --force; nothing deleted', async () => {
    fakeAws(STACKS).buckets.set('orders-dev-logs', ['a@1', 'a@2!']);
    const s = streams(false);
    expect(await cli(['destroy', 'dev'], s)).toBe(1);
    const err = s.err();
    expect(err).toContain('Destroy orders dev  account 123456789012  us-east-1');
    expect(err).toContain('Retained (left in the account):');
    expect(err).toMatch(/AWS::S3::Bucket {2}orders-dev-data-123456789012-us-east-1 {2}\(orders-dev-storage DataBucket, Retain\)/);
    expect(err).toContain('Buckets emptied (every object version) and deleted:\n  orders-dev-logs  2 object version(s) and delete marker(s)  (orders-dev-storage LogsBucket)');
    expect(err.indexOf('Stacks to delete')).toBeLessThan(err.indexOf('✖ Destroying stage dev needs its name typed'));
    expect(err).toContain('pass --force');
    expect(cfnMock.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('in CI with a TTY still refuses without --force', async () => {
    fakeAws(STACKS);
    const s = streams(true);
    expect(await cli(['destroy', 'dev', '--verbose'], s, { CI: 'true' })).toBe(1);
    expect(s.err()).toContain('no interactive terminal');
    expect(cfnMock.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('--force destroys an unprotected stage and prints deleted stacks and retained resources', async () => {
    const world = fakeAws(STACKS);
    world.buckets.set('orders-dev-logs', ['a@1', 'a@2!']);
    const s = streams(false);
    expect(await cli(['destroy', 'dev', '--force'], s), s.err()).toBe(0);
    const out = s.out();
    expect(out).toMatch(/app\n {2}orders-dev-compute {2}deleted {2}\d+\.\d s/);
    expect(out).toMatch(/foundation\n {2}orders-dev-storage {2}deleted/);
    expect(out).toContain('Emptied orders-dev-logs: 2 object version(s) and delete marker(s) deleted.');
    expect(out).toContain('Retained (still in the account; delete them yourself when no longer needed):');
    expect(out).toContain('AWS::S3::Bucket  orders-dev-data-123456789012-us-east-1');
    expect(out).toMatch(/2 stack\(s\) deleted in \d+\.\d s\./);
  });

  it('--force --json prints the result as JSON on stdout only', async () => {
    fakeAws(STACKS);
    const s = streams(false);
    expect(await cli(['destroy', 'dev', '--force', '--json'], s)).toBe(0);
    const result = JSON.parse(s.out());
    expect(result).toMatchObject({ stage: 'dev', nothingToDestroy: false });
    expect(result.retained).toHaveLength(1);
    expect(result.phases.map((p: { phase: string }) => p.phase)).toEqual(['app', 'foundation']);
  });

  it('a protected stage is refused even with --force (exit 1)', async () => {
    fakeAws([{ name: 'orders-prod-compute', terminationProtection: true }]);
    const s = streams(false);
    expect(await cli(['destroy', 'prod', '--force'], s)).toBe(1);
    expect(s.err()).toContain('✖ Stage prod is protected');
    expect(s.err()).toContain('--allow-protected');
    expect(cfnMock.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('nothing deployed: exit 0, "nothing to destroy"', async () => {
    fakeAws([]);
    const s = streams(false);
    expect(await cli(['destroy', 'dev'], s)).toBe(0);
    expect(s.out()).toContain('Nothing to destroy: stage dev has no deployed stack in account 123456789012, us-east-1.');
  });

  it('in a terminal: the plan comes before the prompt, a wrong name is rejected, the right one destroys', async () => {
    fakeAws(STACKS);
    const s = streams(true);
    typeAnswers(s, [
      ['Type the stage name (dev)', 'prod\r'],
      ['Type "dev" to confirm', `${BACKSPACE.repeat(4)}dev\r`],
    ]);
    expect(await cli(['destroy', 'dev', '--verbose'], s), s.err()).toBe(0);
    expect(s.err().indexOf('Stacks to delete')).toBeLessThan(s.err().indexOf('Type the stage name (dev)'));
    expect(cfnMock.commandCalls(DeleteStackCommand)).toHaveLength(2);
  });

  it('in a terminal: Ctrl-C at the prompt exits 130 with nothing deleted', async () => {
    fakeAws(STACKS);
    const s = streams(true);
    typeAnswers(s, [['Type the stage name (dev)', '\u0003']]);
    expect(await cli(['destroy', 'dev', '--verbose'], s)).toBe(130);
    expect(cfnMock.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });
});
