import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { useTempDirs } from '../helpers/tmp.js';
import { streams, typeAnswers } from '../helpers/terminal.js';

const tempDir = useTempDirs();

const DOWN = '\u001b[B';
const BACKSPACE = '\u007f';

describe('spec3 init (in-process)', () => {
  it('asks through real prompts in a TTY and writes what was answered', async () => {
    const cwd = await tempDir();
    const s = streams(true);
    const answered = typeAnswers(s, [
      ['Project name', 'myproj\r'],
      ['Runtime of the functions', `${DOWN}${DOWN}${DOWN}\r`], // python3.13 -> 3.12 -> 3.11 -> nodejs22.x
      ['Stages', `${DOWN} \r`], // untick staging
      ['AWS region of dev', 'nowhere\r'],
      ['expected an AWS region name', `${BACKSPACE.repeat(7)}eu-west-1\r`], // rejected, then fixed
      ['AWS region of prod', '\r'], // default: the region given for dev
      ['API in front of the functions', `${DOWN}\r`], // rest -> http
      ['Create a VPC per stage?', 'n\r'],
      ['GitHub repository', 'acme/myproj\r'],
    ]);
    const code = await main(['init', 'app', '--account', '111122223333', '--no-git'], { cwd, env: { NO_COLOR: '1' }, ...s });
    expect(code, s.err()).toBe(0);
    expect(answered()).toBe(9);

    const config = JSON.parse(await readFile(path.join(cwd, 'app', 'spec3.config.json'), 'utf8'));
    expect(config.project).toBe('myproj');
    expect(config.stages).toEqual({
      dev: { account: '111122223333', region: 'eu-west-1' },
      prod: { account: '111122223333', region: 'eu-west-1' },
    });
    expect(config.features).toEqual({ api: { type: 'http' }, vpc: false, pipeline: { github: 'acme/myproj' } });
    expect(config.functions[0]).toMatchObject({ name: 'api', runtime: 'nodejs22.x', handler: 'handlers/api.handler' });
    expect(config.functions[1]).toMatchObject({ name: 'log-processor', runtime: 'nodejs22.x', handler: 'handlers/log_processor.handler' });
    expect(existsSync(path.join(cwd, 'app', 'src', 'handlers', 'log_processor.mjs'))).toBe(true);
    expect(existsSync(path.join(cwd, 'app', 'src', 'handlers', 'api.mjs'))).toBe(true);
    expect(s.out()).toContain('myproj (nodejs22.x; stages dev, prod):');
    expect(s.out()).toContain('Next steps:\n  cd app\n  spec3 synth dev\n  node --test\n');

    // The answered project synthesizes as written.
    const synth = streams(false);
    expect(await main(['synth', 'dev'], { cwd: path.join(cwd, 'app'), env: {}, ...synth }), synth.err()).toBe(0);
  });

  it('without a TTY and without --yes fails with NEEDS_ANSWER (exit 1) and writes nothing', async () => {
    const cwd = await tempDir();
    const s = streams(false);
    expect(await main(['init', 'shop'], { cwd, env: {}, ...s })).toBe(1);
    expect(s.err()).toBe(
      '✖ Project name (prefixes every stack and resource) — cannot ask: no interactive terminal.\n' +
        '  Pass --yes to accept the defaults, or give the answer as a flag (see --help).\n',
    );
    expect(existsSync(path.join(cwd, 'shop'))).toBe(false);

    const json = streams(false);
    expect(await main(['init', 'shop', '--json', '--name', 'shop'], { cwd, env: {}, ...json })).toBe(1);
    expect(JSON.parse(json.out()).error.code).toBe('NEEDS_ANSWER');
    expect(existsSync(path.join(cwd, 'shop'))).toBe(false);
  });

  it('in CI takes no answer from a TTY either: --yes is needed', async () => {
    const cwd = await tempDir();
    const s = streams(true);
    expect(await main(['init', 'shop'], { cwd, env: { CI: 'true' }, ...s })).toBe(1);
    expect(s.err()).toContain('cannot ask: no interactive terminal.');
  });

  it('--yes asks nothing and prints the result; --json prints it as JSON', async () => {
    const cwd = await tempDir();
    const s = streams(false);
    expect(await main(['init', 'shop', '--yes', '--no-git'], { cwd, env: { NO_COLOR: '1' }, ...s }), s.err()).toBe(0);
    expect(s.out()).toMatch(/^shop \(python3\.\d+; stages dev, staging, prod\): \d+ files\n  spec3\.config\.json\n/);
    expect(s.err()).toBe('✔ Created shop in ./shop (22 files).\n');

    const json = streams(false);
    expect(await main(['init', 'api-less', '--yes', '--no-git', '--json', '--runtime', 'nodejs22.x'], { cwd, env: {}, ...json })).toBe(0);
    const result = JSON.parse(json.out());
    expect(result).toMatchObject({ project: 'api-less', runtime: 'nodejs22.x', git: 'declined', nextSteps: ['cd api-less', 'spec3 synth dev', 'node --test'] });
    expect(result.files).toContain('src/handlers/backup.mjs');
    expect(json.err()).toBe('');
  });

  it('refuses a non-empty directory with the directory and the --force hint', async () => {
    const cwd = await tempDir();
    const s = streams(false);
    expect(await main(['init', '--yes'], { cwd, env: {}, ...s })).toBe(0);
    const again = streams(false);
    expect(await main(['init', '--yes'], { cwd, env: {}, ...again })).toBe(1);
    expect(again.err()).toBe(
      `✖ Directory ${cwd} is not empty.\n  Choose a new or empty directory, or pass --force to write into it (files of the same name are replaced).\n`,
    );
  });

  it('rejects a runtime spec3 does not know, naming the accepted ones', async () => {
    const s = streams(false);
    expect(await main(['init', 'x', '--yes', '--runtime', 'ruby3.3'], { cwd: await tempDir(), env: {}, ...s })).toBe(1);
    expect(s.err()).toMatch(/^✖ --runtime "ruby3\.3": expected one of python3\.\d+, .*nodejs22\.x\.\n/);
  });

  it('--help documents every flag with examples', async () => {
    const s = streams(false);
    expect(await main(['init', '--help'], { cwd: process.cwd(), env: {}, ...s })).toBe(0);
    for (const flag of ['--yes', '--name <name>', '--runtime <runtime>', '--account <id>', '--region <region>', '--github <owner/repo>', '--force', '--no-git', '--json']) {
      expect(s.out()).toContain(flag);
    }
    expect(s.out()).toContain('$ spec3 init orders --yes');
  });
});
