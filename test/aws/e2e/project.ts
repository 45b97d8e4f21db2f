import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CloudFormationClient, ListStacksCommand, type StackSummary } from '@aws-sdk/client-cloudformation';
import { expect } from 'vitest';
import { clientConfig } from '../../helpers/local-aws.js';
import { spec3 } from '../../e2e/helpers.js';

/** The parts of spec3.config.json these tests read or change. */
export interface ProjectConfig {
  project: string;
  stages: Record<string, { account: string; region: string; protected?: boolean }>;
  functions: { name: string; memory?: number }[];
}

/** Scaffolds project `demo` inside `parent` with the built binary's `init --yes`; answers its directory. */
export async function initProject(parent: string): Promise<string> {
  const dir = path.join(parent, 'demo');
  const init = await spec3(['init', dir, '--yes', '--no-git'], parent);
  expect(init.exitCode, init.all).toBe(0);
  return dir;
}

export async function readConfig(dir: string): Promise<ProjectConfig> {
  return JSON.parse(await readFile(path.join(dir, 'spec3.config.json'), 'utf8')) as ProjectConfig;
}

/** Changes the project's config in place; answers the changed config. */
export async function editConfig(dir: string, change: (config: ProjectConfig) => void): Promise<ProjectConfig> {
  const config = await readConfig(dir);
  change(config);
  await writeFile(path.join(dir, 'spec3.config.json'), JSON.stringify(config, null, 2));
  return config;
}

/** An SDK v3 client of the local AWS at `endpoint`. */
export function awsClient<T>(Client: new (config: object) => T, endpoint: string): T {
  return new Client(clientConfig(endpoint));
}

/** Stacks whose name starts with `prefix`, in any state but DELETE_COMPLETE (failed ones included). */
export async function liveStacks(endpoint: string, prefix = ''): Promise<StackSummary[]> {
  const out = await awsClient(CloudFormationClient, endpoint).send(new ListStacksCommand({}));
  return (out.StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE' && s.StackName?.startsWith(prefix));
}
