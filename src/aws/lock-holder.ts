/** Who holds a stage lock, as recorded in its SSM parameter, and whether that holder still runs. */
export interface LockHolder {
  /** `user@host`: the last part of the caller's ARN, and the machine's name. */
  readonly holder: string;
  /** The machine's name (`os.hostname()`): a pid means something on this machine only. */
  readonly host: string;
  readonly pid: number;
  /** e.g. `spec3 deploy dev`. */
  readonly command: string;
  /** ISO time the lock was taken. */
  readonly startedAt: string;
  /** The CI run that holds it, e.g. `GITHUB_RUN_ID=123456`, when spec3 runs in CI. */
  readonly ci?: string;
}

/**
 * Variables that name the CI run or job a process belongs to, in the order they are looked up:
 * GitHub Actions, GitLab, Buildkite, CircleCI, AWS CodeBuild, Azure Pipelines, Jenkins.
 */
const CI_RUN_IDS = ['GITHUB_RUN_ID', 'CI_JOB_ID', 'BUILDKITE_BUILD_ID', 'CIRCLE_WORKFLOW_ID', 'CODEBUILD_BUILD_ID', 'BUILD_BUILDID', 'BUILD_TAG'];

/** `NAME=value` of the first CI run id the environment has, e.g. `GITHUB_RUN_ID=123456`. */
export function ciRunId(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const name = CI_RUN_IDS.find((n) => env[n]);
  return name ? `${name}=${env[name]}` : undefined;
}

/** The lock's value read back; a value spec3 did not write (or an older one) gives what can be read of it. */
export function parseHolder(raw: string): Partial<LockHolder> {
  let held: Partial<LockHolder>;
  try {
    const value = JSON.parse(raw) as unknown;
    held = value && typeof value === 'object' ? (value as Partial<LockHolder>) : {};
  } catch {
    return {};
  }
  // Locks written before `host` was recorded name the machine after the `@` of `holder`.
  const host = held.host ?? (typeof held.holder === 'string' && held.holder.includes('@') ? held.holder.slice(held.holder.lastIndexOf('@') + 1) : undefined);
  return { ...held, ...(host ? { host } : {}) };
}

/**
 * `alive`: the holder's process runs on this machine. `gone`: it was on this machine and is not
 * running any more (the lock was abandoned). `unknown`: another machine, or no pid recorded.
 */
export type HolderState = 'alive' | 'gone' | 'unknown';

export function holderState(held: Partial<LockHolder>, thisHost: string, isAlive: (pid: number) => boolean): HolderState {
  if (held.host !== thisHost || typeof held.pid !== 'number' || !Number.isInteger(held.pid) || held.pid <= 0) return 'unknown';
  return isAlive(held.pid) ? 'alive' : 'gone';
}

/** Whether a process of this machine runs: signal 0 checks without sending anything. EPERM: it runs as another user. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** "alice@build-1 (pid 77, GITHUB_RUN_ID=5) running `spec3 deploy dev` since 2026-… (12 min ago)". */
export function describeHolder(held: Partial<LockHolder>, now: Date): string {
  const extra = [held.pid ? `pid ${held.pid}` : '', held.ci ?? ''].filter(Boolean).join(', ');
  const who = held.holder ? `${held.holder}${extra ? ` (${extra})` : ''}` : 'an unknown holder';
  const what = held.command ? ` running \`${held.command}\`` : '';
  const age = lockAge(held, now);
  const when = age !== undefined ? ` since ${new Date(held.startedAt!).toISOString()} (${formatAge(age)} ago)` : '';
  return `${who}${what}${when}`;
}

/** How long the lock has been held, when its start time can be read. */
export function lockAge(held: Partial<LockHolder>, now: Date): number | undefined {
  const since = held.startedAt ? new Date(held.startedAt) : undefined;
  return since && !Number.isNaN(since.getTime()) ? now.getTime() - since.getTime() : undefined;
}

function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
