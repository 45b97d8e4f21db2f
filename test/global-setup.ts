import type { TestProject } from 'vitest/node';
import { startLocalAws, type LocalAws } from '../src/aws/local/launcher.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://localhost:PORT` of the run's local AWS (moto with spec3's fixes). */
    localAwsEndpoint: string;
  }
}

interface Shared {
  server: Promise<LocalAws>;
  users: number;
}

// Every project lists this setup, and vitest runs it once per project in this one process: the
// first call starts the server, the others share it, and the last teardown stops it.
const holder = globalThis as { spec3LocalAws?: Shared };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (holder.spec3LocalAws ??= { server: startLocalAws({ env: process.env }), users: 0 });
  shared.users += 1;
  const server = await shared.server;
  project.provide('localAwsEndpoint', server.endpoint);
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    holder.spec3LocalAws = undefined;
    await server.stop();
  };
}
