/** Checks on a local AWS process: is it there, does it answer, stop it. */

/** moto listens on loopback only; clients use `localhost` (with 127.0.0.1 S3 reads "127" as a bucket). */
export const HOST = '127.0.0.1';
export const POLL_MS = 50;
const STOP_TIMEOUT_MS = 5_000;

/** True when something answers HTTP on the loopback port (moto answers any path). */
export async function answers(port: number, timeoutMs = 1_000): Promise<boolean> {
  try {
    await fetch(`http://${HOST}:${port}/moto-api/`, { signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGTERM, then SIGKILL if the process is still there after a few seconds. */
export async function stopProcess(pid: number): Promise<void> {
  if (!signal(pid, 'SIGTERM')) return;
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      signal(pid, 'SIGKILL');
      return;
    }
    await sleep(POLL_MS);
  }
}

export function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false; // already gone
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
