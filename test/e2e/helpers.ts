import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa, type Result } from 'execa';

export const BIN = fileURLToPath(new URL('../../bin/spec3.js', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Runs the built binary as a user would. The suite is run by `npm test`, which builds first. */
export async function spec3(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Result> {
  if (!existsSync(DIST)) throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the e2e tests');
  return execa('node', [BIN, ...args], {
    cwd,
    reject: false,
    all: true,
    env: { CI: '1', NO_COLOR: '1', ...env },
    extendEnv: true,
  });
}
