import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalAws, type LocalAws } from '../src/aws/local/launcher.js';
import { writeLocalState } from '../src/aws/local/state.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://localhost:PORT` of the run's local AWS (moto with spec3's fixes). */
    localAwsEndpoint: string;
    /**
     * A `SPEC3_HOME` whose `local.json` records the run's local AWS as `spec3 local start` would:
     * with it, `--local` of the built binary reaches that server.
     */
    localAwsHome: string;
  }
}

interface Shared {
  server: Promise<{ server: LocalAws; home: string }>;
  users: number;
}

// Every project lists this setup, and vitest runs it once per project in this one process: the
// first call starts the server, the others share it, and the last teardown stops it.
const holder = globalThis as { spec3LocalAws?: Shared };

async function start(): Promise<{ server: LocalAws; home: string }> {
  const server = await startLocalAws({ env: process.env });
  const home = await mkdtemp(path.join(os.tmpdir(), 'spec3-home-'));
  const env = { SPEC3_HOME: home };
  await writeLocalState(env, { pid: server.pid, port: server.port, endpoint: server.endpoint, startedAt: new Date().toISOString(), version: 'test' });
  return { server, home };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (holder.spec3LocalAws ??= { server: start(), users: 0 });
  shared.users += 1;
  const { server, home } = await shared.server;
  project.provide('localAwsEndpoint', server.endpoint);
  project.provide('localAwsHome', home);
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    holder.spec3LocalAws = undefined;
    await server.stop();
    await rm(home, { recursive: true, force: true });
  };
}
