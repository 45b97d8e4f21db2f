import type { Runtime } from '../../config/schema.js';

/** What `spec3 init` was told on the command line; every field left out is asked (or defaulted). */
export interface InitOptions {
  /** Target directory, relative to the context's cwd. @default '.' */
  readonly dir?: string;
  readonly name?: string;
  readonly runtime?: Runtime;
  /** Account id of every stage; skips the per-stage account questions. */
  readonly account?: string;
  /** Region of every stage; skips the per-stage region questions. */
  readonly region?: string;
  /** `owner/repo` for the GitHub Actions pipeline; empty string = no pipeline. */
  readonly github?: string;
  /** Write into a non-empty directory (existing files at planned paths are replaced). */
  readonly force?: boolean;
  /** `false` skips `git init` without asking; undefined asks. */
  readonly git?: boolean;
  /** Also write a commented spec3.extend.ts (code extensions). */
  readonly extend?: boolean;
}

export type ApiType = 'rest' | 'http' | 'none';

export interface StageAnswer {
  readonly name: string;
  readonly account: string;
  readonly region: string;
}

/** Every decision init needs, from flags and answers; the planner is a pure function of these. */
export interface InitAnswers {
  readonly project: string;
  readonly runtime: Runtime;
  readonly stages: readonly StageAnswer[];
  readonly api: ApiType;
  readonly vpc: boolean;
  /** `owner/repo`, or undefined for no pipeline. */
  readonly github: string | undefined;
  readonly git: boolean;
  /** Write a commented spec3.extend.ts; never asked (a flag only). */
  readonly extend?: boolean;
}

export type GitOutcome = 'initialized' | 'declined' | 'inside-repository' | 'unavailable' | 'failed';

export interface InitResult {
  /** Absolute path of the project. */
  readonly dir: string;
  readonly project: string;
  readonly runtime: Runtime;
  readonly stages: readonly StageAnswer[];
  /** Written files, relative to `dir`, with `/`. */
  readonly files: readonly string[];
  readonly git: GitOutcome;
  /** Commands to run next, in order (relative to the cwd init ran in). */
  readonly nextSteps: readonly string[];
}
