import type { AwsFlags } from '../aws/access.js';
import { CONFIG_FILE } from '../config/load.js';

/** What a printed spec3 command must repeat so that it reaches the same stage as the run that prints it. */
export interface RunTarget {
  /** The run's environment: tells how spec3 was started (npx, an npm script, or on the PATH). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly aws?: AwsFlags;
  /** The `--config` given, if any (the default file is not repeated). */
  readonly config?: string;
}

/** The target of a command run with these options, for the commands its hints print. */
export function runTargetOf(options: { readonly aws?: AwsFlags; readonly config?: string }, env: RunTarget['env']): RunTarget {
  return { env, ...(options.aws ? { aws: options.aws } : {}), ...(options.config ? { config: options.config } : {}) };
}

/**
 * How the user starts spec3 again from the same shell. npm puts the command it runs in
 * `npm_lifecycle_script`: under `npx spec3` / `npm exec spec3` that is the bin, `'spec3'`; inside
 * an npm script it is the script, e.g. `spec3 deploy dev`. Either way spec3 is installed in the
 * project (or npx fetches it), not necessarily on the PATH, so the user runs it as `npx spec3`.
 * `npm_command` alone is not enough: it is inherited, so every process under `npx vitest` sees
 * `exec`. Anything else (a global install, the bin itself) is `spec3`.
 */
export function spec3Executable(env: RunTarget['env']): string {
  const first = (env.npm_lifecycle_script ?? '').trim().split(/\s+/)[0]!.replace(/^'(.*)'$/, '$1');
  return first === 'spec3' || first.endsWith('/spec3') ? 'npx spec3' : 'spec3';
}

/**
 * The command line that runs `spec3 <words...>` against the same target as this run: the same
 * `--local`, `--endpoint`, `--profile` and `--config`, started the same way. Every
 * hint that names a spec3 command is built here, so it works as printed.
 */
export function spec3Command(target: RunTarget, ...words: readonly string[]): string {
  const aws = target.aws ?? {};
  const flags = [
    ...(aws.local && !aws.endpoint ? ['--local'] : []),
    ...(aws.endpoint ? ['--endpoint', aws.endpoint] : []),
    ...(aws.profile ? ['--profile', aws.profile] : []),
    ...(target.config && target.config !== CONFIG_FILE ? ['--config', target.config] : []),
  ];
  return [spec3Executable(target.env), ...[...words, ...flags].map(shellWord)].join(' ');
}

/** A word as a POSIX shell reads it back: bare when it is plain, else in single quotes. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
