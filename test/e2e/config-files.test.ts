import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES } from '../../src/config/load.js';
import { sampleConfig } from '../helpers/project.js';
import { useTempDirs } from '../helpers/tmp.js';
import { BIN, sh, spec3, type RunResult } from './helpers.js';

/**
 * A config path that is not a readable config file, through the built binary: each is a named
 * error that names the file and the fix, exit 1, with nothing read that could hang the run (a
 * FIFO) or fill memory (/dev/zero).
 */
describe('config files that cannot be read', () => {
  const tempDir = useTempDirs();

  const expectRefused = (r: RunResult, message: string | RegExp, hint: string) => {
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stderr, r.all).not.toMatch(/bug in spec3|Unexpected error|^\s+at /m);
    const [first, second] = r.stderr.trim().split('\n');
    if (typeof message === 'string') expect(first).toContain(message);
    else expect(first).toMatch(message);
    expect(second).toContain(hint);
  };

  it('a directory', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'conf'));
    const r = await spec3(['list', 'dev', '--config', 'conf'], dir);
    expectRefused(r, `--config conf: ${path.join(dir, 'conf')} is a directory, not a config file.`, '--config conf/spec3.config.json');
  });

  it('a FIFO: refused without opening it (a read would wait for a writer for ever)', async () => {
    const dir = await tempDir();
    const fifo = path.join(dir, 'spec3.config.json');
    expect((await sh('mkfifo', [fifo], dir)).exitCode).toBe(0);
    const r = await spec3(['list', 'dev'], dir);
    expectRefused(r, `spec3.config.json: ${fifo} is not a regular file (a pipe, socket or device), so it is not read.`, 'spec3 reads the config from a regular file');
  });

  it('/dev/zero: refused without reading it (it never ends)', async () => {
    const r = await spec3(['list', 'dev', '--config', '/dev/zero'], await tempDir());
    expectRefused(r, '--config /dev/zero: /dev/zero is not a regular file', "Pass --config the path of the project's spec3.config.json");
  });

  it('a file over 1 MB', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'spec3.config.json'), JSON.stringify({ ...sampleConfig(), padding: 'x'.repeat(MAX_CONFIG_BYTES) }));
    const r = await spec3(['list', 'dev'], dir);
    expectRefused(r, /^✖ spec3\.config\.json: .+ is 1\.0 MB; a spec3 config is at most 1 MB, so this is not one\.$/, '`spec3 init` writes a fresh config');
  });

  it('a file the user may not read', async () => {
    const dir = await tempDir();
    await chmod(dir, 0o755);
    const file = path.join(dir, 'spec3.config.json');
    await writeFile(file, JSON.stringify(sampleConfig()));
    await chmod(file, 0o000);
    // root reads any file: run as an unprivileged user there, as a person would be.
    const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'node'] : ['node'];
    const r = await sh(asUser[0]!, [...asUser.slice(1), BIN, 'list', 'dev'], dir, { CI: '1', NO_COLOR: '1' });
    expectRefused(r, `spec3.config.json: ${file} cannot be read: permission denied.`, `chmod u+r ${file}`);
  });
});
