import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsEnv, useLocalAws } from '../../helpers/local-aws.js';
import { spec3, spec3Answering } from '../../e2e/helpers.js';
import { editConfig, initProject, liveStacks } from './project.js';

/** The rows of the approval's IAM statement tables: one block per statement, its continuation lines joined. */
function statementRows(screen: string): string[] {
  const rows: string[] = [];
  let stack = '';
  let inStatements = false;
  for (const line of screen.split('\n')) {
    const text = line.trim();
    if (/^demo-dev-[a-z]+$/.test(text)) stack = text;
    if (/^(IAM|Security Group) .*Changes$/.test(text)) inStatements = text === 'IAM Statement Changes';
    const cells = /^│ ([+-]| ) │(.*)│$/.exec(line.trimEnd());
    if (!cells || !inStatements || cells[2]!.includes('Resource')) continue;
    if (cells[1] !== ' ') rows.push(`${stack} ${cells[1]} ${cells[2]}`);
    else if (rows.length > 0) rows[rows.length - 1] += `\n${cells[2]}`;
  }
  return rows;
}

/**
 * The approval a first deploy of an `init --yes` project asks for, through the built binary
 * against the local AWS: in a pseudo-terminal (what a person reads and what Enter does) and
 * without one (CI), where an approval nobody gave fails the deploy before anything changes.
 */
describe('deploy approval on the local AWS', () => {
  const local = useLocalAws({ resetBeforeEach: false });
  let parent = '';
  let dir = '';
  const env = () => awsEnv(local.endpoint());
  const deployed = async () => (await liveStacks(local.endpoint(), 'demo-dev-')).map((s) => s.StackName);

  beforeAll(async () => {
    await local.reset();
    parent = await mkdtemp(path.join(os.tmpdir(), 'spec3-approval-'));
    dir = await initProject(parent);
    const bootstrap = await spec3(['bootstrap', 'dev'], dir, env());
    expect(bootstrap.exitCode, bootstrap.all).toBe(0);
  });

  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('in a terminal: names what widens, no Deny as an allow, no token, no repeated row; Enter declines and nothing is deployed', async () => {
    const r = await spec3Answering('Deploy these access changes?', '', ['deploy', 'dev'], dir, env());
    const screen = stripVTControlCharacters(r.stdout).replace(/\r/g, '');
    expect(r.exitCode, screen).toBe(130);
    expect(screen).toContain('Deploy these access changes? (y/N)');
    expect(screen).toContain('Deploy these access changes? No');
    expect(screen).toContain('Deploy cancelled; nothing was changed.');
    expect(await deployed()).toEqual([]);

    expect(screen).toContain('IAM Statement Changes');
    expect(screen).not.toContain('${');
    const rows = statementRows(screen);
    // Every Allow of a first deploy is there, named: the functions' roles, their log groups, the table.
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.some((row) => row.includes('demo-dev-compute/ApiRole') && row.includes('sts:AssumeRole'))).toBe(true);
    expect(rows.some((row) => row.includes('/aws/lambda/demo-dev-api') && row.includes('AWS:demo-dev-compute/ApiRole'))).toBe(true);
    expect(rows.some((row) => row.includes('demo-dev-table') && row.includes('dynamodb:'))).toBe(true);
    // The buckets' TLS-only policy is a Deny of s3:* to everyone; it narrows access and is not listed, let alone as an allow.
    expect(rows.every((row) => /│ Allow +│/.test(row))).toBe(true);
    expect(rows.filter((row) => row.includes('s3:*') && row.includes('AWS:*'))).toEqual([]);
    expect(new Set(rows).size).toBe(rows.length);
  });

  it('in CI without --yes: a widening fails the deploy before any change, naming how to approve it', async () => {
    const r = await spec3(['deploy', 'dev', '--json'], dir, env());
    expect(r.exitCode, r.all).toBe(1);
    const error = (JSON.parse(r.stdout) as { error: { code: string; message: string; hint: string } }).error;
    expect(error.code).toBe('APPROVAL_REQUIRED');
    expect(error.message).toContain('widens access');
    expect(error.hint).toContain('spec3 deploy dev --yes');
    expect(error.hint).toContain('--require-approval never');
    expect(await deployed()).toEqual([]);
  });

  it('--require-approval never: deploys without asking', async () => {
    const r = await spec3(['deploy', 'dev', '--phase', 'foundation', '--require-approval', 'never'], dir, env());
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stderr).not.toContain('Deploy these');
    expect(r.stderr).not.toContain('widens access');
    expect((await deployed()).length).toBe(4);
  });

  it('`requireApproval: "any"` in the config: a change that widens nothing still needs approval; the flag overrides the config', async () => {
    await editConfig(dir, (c) => {
      Object.assign(c, { requireApproval: 'any' });
      Object.assign(c.stages.dev!, { logRetentionDays: 14 });
    });
    const refused = await spec3(['deploy', 'dev', '--phase', 'foundation'], dir, env());
    expect(refused.exitCode, refused.all).toBe(1);
    expect(refused.stderr).toContain('every change needs approval');
    expect(refused.stderr).not.toContain('widens access');

    const r = await spec3(['deploy', 'dev', '--phase', 'foundation', '--require-approval', 'broadening'], dir, env());
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stderr).not.toContain('Deploy these');
    expect(r.stderr).toMatch(/demo-dev-network: \d+ to add, [1-9]\d* to modify/);
  });

  it('--yes approves and says so: the automatic answer is on the screen', async () => {
    await editConfig(dir, (c) => Object.assign(c, { requireApproval: 'broadening' }));
    const r = await spec3(['deploy', 'dev', '--phase', 'app', '--yes'], dir, env());
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stderr).toContain('Deploy these access changes? Yes (auto-confirmed)');
  });
});
