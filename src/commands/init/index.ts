import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseConfig } from '../../config/load.js';
import type { Context } from '../../context.js';
import { Spec3Error } from '../../errors.js';
import { findPackageRoot, packageVersion, readTemplateTree } from '../../templates/tree.js';
import { checkOptions, gatherAnswers } from './ask.js';
import { gitInit } from './git.js';
import { CONFIG_PATH, planInit, testCommand } from './plan.js';
import type { InitOptions, InitResult } from './types.js';
import { writePlanned } from './write.js';

export type { InitAnswers, InitOptions, InitResult, StageAnswer } from './types.js';

/** Entries that do not make a directory "used": a fresh `git clone` of an empty repository. */
const IGNORED_ENTRIES = new Set(['.git', '.DS_Store']);

/** Refuses a target that is a file, or a directory with content unless --force. */
async function checkTarget(dir: string, force: boolean): Promise<void> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!info) return;
  if (!info.isDirectory()) {
    throw new Spec3Error('INIT_DIR_NOT_DIRECTORY', `${dir} exists and is not a directory.`, 'Choose another directory name.');
  }
  const used = (await readdir(dir)).filter((e) => !IGNORED_ENTRIES.has(e));
  if (used.length > 0 && !force) {
    throw new Spec3Error(
      'INIT_DIR_NOT_EMPTY',
      `Directory ${dir} is not empty.`,
      'Choose a new or empty directory, or pass --force to write into it (files of the same name are replaced).',
    );
  }
}

/**
 * `spec3 init`: asks what the flags left open, plans every file as data, validates the config it
 * would write, then writes all files or none, and optionally runs `git init`.
 */
export async function run(options: InitOptions, ctx: Pick<Context, 'cwd' | 'io'>): Promise<InitResult> {
  checkOptions(options);
  const dir = path.resolve(ctx.cwd, options.dir ?? '.');
  // Before any question: finding out after ten answers that the directory is taken is annoying.
  await checkTarget(dir, Boolean(options.force));
  const answers = await gatherAnswers(options, dir, ctx.io);

  const root = findPackageRoot();
  const files = planInit(answers, await readTemplateTree(root), packageVersion(root));
  // The config this run writes must load: a project that fails `spec3 synth` at once is a bug here.
  parseConfig(files.find((f) => f.path === CONFIG_PATH)!.content, CONFIG_PATH);

  await writePlanned(dir, files, ctx.io);
  const git = answers.git ? await gitInit(dir, ctx.io) : 'declined';

  const shown = path.relative(ctx.cwd, dir);
  ctx.io.emit({
    code: 'INIT_DONE',
    level: 'success',
    message: `Created ${answers.project} in ${shown ? `./${shown}` : 'the current directory'} (${files.length} files).`,
    data: { dir, files: files.length },
  });
  return {
    dir,
    project: answers.project,
    runtime: answers.runtime,
    stages: answers.stages,
    files: files.map((f) => f.path),
    git,
    nextSteps: [
      ...(shown ? [`cd ${shown.includes(' ') ? JSON.stringify(shown) : shown}`] : []),
      `spec3 synth ${answers.stages[0]!.name}`,
      testCommand(answers),
    ],
  };
}
