import { Command } from 'commander';
import { registerBootstrap } from './commands/bootstrap.js';
import { registerDeploy } from './commands/deploy.js';
import { registerDestroy } from './commands/destroy.js';
import { registerDiff } from './commands/diff.js';
import { registerDrift } from './commands/drift.js';
import { registerInit } from './commands/init.js';
import { registerList } from './commands/list.js';
import { registerLocal } from './commands/local.js';
import { registerStatus } from './commands/status.js';
import { registerSynth } from './commands/synth.js';
import { registerUnlock } from './commands/unlock.js';
import type { StopSignal } from './interrupts.js';
import type { Terminal } from './terminal.js';
import { VERSION } from './version.js';

export interface RunState {
  code: number;
  json: boolean;
  /** The stop signal the run received, if any: it sets the exit code of a run it ended. */
  interrupted?: StopSignal;
}

/** The commander program. Each command file registers itself and lazy-loads its engine. */
export function buildProgram(t: Terminal, state: RunState): Command {
  const program = new Command('spec3')
    .description('Production-grade, multi-stack AWS infrastructure per stage, deployed in phases.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => t.stdout.write(s),
      writeErr: (s) => t.stderr.write(s),
      // Usage errors are reported by `main` like every other error: a code, a hint, JSON under --json.
      outputError: () => {},
    })
    .addHelpText(
      'after',
      `
Examples:
  $ spec3 init orders            scaffold a project
  $ spec3 synth dev              synthesize the dev stage
  $ spec3 list prod              show the phase plan of prod
  $ spec3 local start            a local AWS to try deploys on
  $ spec3 deploy dev --local     deploy every phase of dev
  $ spec3 diff prod              what a deploy of prod would change
  $ spec3 destroy dev --local    tear dev down (typed confirmation)
  $ spec3 unlock dev --local     clear a lock left by a killed run

Exit codes: 0 success, 1 error, 2 changes or drift found (diff, drift), 130 aborted (Ctrl-C),
143 stopped by SIGTERM, 129 stopped by SIGHUP.`,
    );
  for (const register of [registerInit, registerSynth, registerList, registerBootstrap, registerDeploy, registerDiff, registerStatus, registerDrift, registerLocal, registerDestroy, registerUnlock]) register(program, t, state);
  for (const command of program.commands) command.exitOverride();
  return program;
}
