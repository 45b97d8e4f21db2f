import { mkdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../../context.js';
import { Spec3Error } from '../../errors.js';
import type { PlannedFile } from '../../templates/plan.js';

/** What this run changed, so a failure can put everything back. */
interface Journal {
  /** Directories this run created, parents first. */
  readonly dirs: string[];
  /** Files written, with the content they replaced (under --force) or undefined if new. */
  readonly files: { readonly file: string; readonly previous: Buffer | undefined }[];
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** Creates `dir` and missing parents one level at a time, recording each so rollback can remove it. */
async function makeDirs(dir: string, journal: Journal): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; !(await exists(d)); d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) {
    await mkdir(d);
    journal.dirs.push(d);
  }
}

/** Undoes the journal, newest first. Returns what could not be undone (reported, never hidden). */
async function rollback(journal: Journal): Promise<string[]> {
  const left: string[] = [];
  for (const { file, previous } of [...journal.files].reverse()) {
    try {
      if (previous === undefined) await rm(file, { force: true });
      else await writeFile(file, previous);
    } catch {
      left.push(file);
    }
  }
  for (const dir of [...journal.dirs].reverse()) {
    // rmdir, not rm -r: a directory that is not empty now holds something this run did not write.
    await rmdir(dir).catch(() => left.push(dir));
  }
  return left;
}

/**
 * Writes the planned files under `root`, all or nothing: if any write fails, every file this run
 * created is removed, every file it replaced is restored, and the directories it made are removed.
 */
export async function writePlanned(root: string, files: readonly PlannedFile[], io: Context['io']): Promise<void> {
  const journal: Journal = { dirs: [], files: [] };
  let current = root;
  try {
    await makeDirs(root, journal);
    for (const planned of files) {
      current = path.join(root, ...planned.path.split('/'));
      await makeDirs(path.dirname(current), journal);
      const existing = await stat(current).catch(() => undefined);
      // Journal before writing: a write that fails halfway still leaves a file to remove. Something
      // other than a file in the way (a folder) makes the write fail and is never this run's to undo.
      if (!existing || existing.isFile()) {
        journal.files.push({ file: current, previous: existing ? await readFile(current) : undefined });
      }
      await writeFile(current, planned.content);
      io.emit({ code: 'INIT_FILE', level: 'debug', message: `wrote ${planned.path}`, data: { path: planned.path } });
    }
  } catch (error) {
    const left = await rollback(journal);
    io.emit({
      code: 'INIT_ROLLBACK',
      level: 'warn',
      message: `Writing failed; removed the ${journal.files.length} file(s) and ${journal.dirs.length} folder(s) this run had made.`,
      data: { left },
    });
    throw new Spec3Error(
      'INIT_WRITE_FAILED',
      `Could not write ${current}: ${(error as Error).message}`,
      left.length === 0
        ? 'Nothing was left behind. Fix the cause (permissions, a folder in the way) and run init again.'
        : `Could not undo: ${left.join(', ')}. Remove these by hand, then run init again.`,
      { cause: error },
    );
  }
}
