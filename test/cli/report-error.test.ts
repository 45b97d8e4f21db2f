import { describe, expect, it, vi } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { writeProject } from '../helpers/project.js';
import { useTempDirs } from '../helpers/tmp.js';

// An injected defect of spec3 itself: the list engine fails with a plain TypeError.
vi.mock('../../src/commands/list/index.js', () => ({
  run: () => {
    throw new TypeError("Cannot read properties of undefined (reading 'phase')");
  },
}));

const tempDir = useTempDirs();

const runCli = (argv: string[], cwd: string) => runMain(argv, cwd);

describe('a defect of spec3', () => {
  it('is reported as a bug, without a stack trace unless -v asks for it', async () => {
    const dir = await tempDir();
    await writeProject(dir);
    const plain = await runCli(['list', 'dev'], dir);
    expect(plain.code).toBe(1);
    expect(plain.err).toBe(
      "✖ Unexpected error: Cannot read properties of undefined (reading 'phase')\n  This is a bug in spec3; please report it with the output above (run again with -v for the stack trace).\n",
    );
    const verbose = await runCli(['list', 'dev', '-v'], dir);
    expect(verbose.err).toMatch(/^✖ Unexpected error: TypeError: Cannot read properties of undefined \(reading 'phase'\)\n\s+at /);
    const json = JSON.parse((await runCli(['list', 'dev', '--json'], dir)).out) as { error: { code: string; message: string } };
    expect(json.error).toEqual({ code: 'INTERNAL', message: "Cannot read properties of undefined (reading 'phase')" });
  });
});
