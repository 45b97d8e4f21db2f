import { describe, expect, it } from 'vitest';
import { shellWord, spec3Command, spec3Executable } from '../../src/commands/rerun.js';

describe('the spec3 command a hint prints', () => {
  // The variables as npm 10 sets them (measured with `npx node -e ...` and `npm run`).
  it.each([
    [{}, 'spec3'],
    // npx spec3 / npm exec spec3
    [{ npm_command: 'exec', npm_lifecycle_event: 'npx', npm_lifecycle_script: "'spec3'" }, 'npx spec3'],
    // an npm script: spec3 is on the script's PATH only
    [{ npm_command: 'run', npm_lifecycle_event: 'deploy', npm_lifecycle_script: 'spec3 deploy dev --yes' }, 'npx spec3'],
    // inherited from a parent started by npx (e.g. a test runner): spec3 itself was not
    [{ npm_command: 'exec', npm_lifecycle_event: 'npx', npm_lifecycle_script: "'vitest'" }, 'spec3'],
    [{ npm_command: 'run', npm_lifecycle_script: 'node scripts/release.mjs' }, 'spec3'],
  ])('started with %j: %s', (env, expected) => {
    expect(spec3Executable(env)).toBe(expected);
  });

  it('repeats the target: --local, --endpoint, --profile and a --config that is not the default', () => {
    expect(spec3Command({ env: {} }, 'unlock', 'dev')).toBe('spec3 unlock dev');
    expect(spec3Command({ env: {}, aws: { local: true }, config: 'spec3.config.json' }, 'unlock', 'dev', '--force')).toBe('spec3 unlock dev --force --local');
    expect(
      spec3Command({ env: { npm_lifecycle_script: "'spec3'" }, aws: { profile: 'prod admin', endpoint: 'http://localhost:4566', local: true, maxAttempts: 3 }, config: 'cfg/other.json' }, 'status', 'prod'),
    ).toBe("npx spec3 status prod --endpoint http://localhost:4566 --profile 'prod admin' --config cfg/other.json");
  });

  it('quotes words a shell would split or expand', () => {
    expect(shellWord('dev')).toBe('dev');
    expect(shellWord("it's $HOME")).toBe(`'it'\\''s $HOME'`);
  });
});
