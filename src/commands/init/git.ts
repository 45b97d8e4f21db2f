import type { Context } from '../../context.js';
import type { GitOutcome } from './types.js';

/**
 * `git init` in the new project. Git is a convenience here, never a reason to fail: the files are
 * already written, so a missing or failing git is a warning. Inside an existing work tree (a
 * monorepo) no nested repository is made.
 */
export async function gitInit(dir: string, io: Context['io'], command = 'git'): Promise<GitOutcome> {
  const { execa } = await import('execa');
  const inside = await execa(command, ['rev-parse', '--is-inside-work-tree'], { cwd: dir, reject: false });
  if (inside.code === 'ENOENT') {
    io.emit({
      code: 'INIT_GIT_UNAVAILABLE',
      level: 'warn',
      message: `git not found; skipped git init. Run it yourself once git is installed.`,
    });
    return 'unavailable';
  }
  if (!inside.failed && inside.stdout.trim() === 'true') {
    io.emit({ code: 'INIT_GIT_SKIPPED', level: 'info', message: 'Already inside a git repository; no new one made.' });
    return 'inside-repository';
  }
  const init = await execa(command, ['init', '--quiet', '--initial-branch=main'], { cwd: dir, reject: false });
  if (init.failed) {
    io.emit({
      code: 'INIT_GIT_FAILED',
      level: 'warn',
      message: `git init failed (${init.shortMessage}); the project is complete, run git init yourself.`,
    });
    return 'failed';
  }
  io.emit({ code: 'INIT_GIT', level: 'info', message: 'Initialized a git repository (branch main).' });
  return 'initialized';
}
