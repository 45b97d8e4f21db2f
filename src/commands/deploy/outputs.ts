import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeployedStack } from '../../aws/cfn/stacks.js';

/** `.spec3/<stage>/outputs.json` beside the config. */
export const outputsPath = (projectDir: string, stage: string): string => path.join(projectDir, '.spec3', stage, 'outputs.json');

/**
 * Writes every known stack's outputs, keyed by stack name. Stacks this run did not look at keep
 * their previous entry; the file is replaced atomically so a reader never sees half of it.
 */
export async function writeOutputs(
  projectDir: string,
  stage: string,
  states: ReadonlyMap<string, DeployedStack | undefined>,
): Promise<string> {
  const file = outputsPath(projectDir, stage);
  const previous = await readOutputs(file);
  for (const [name, stack] of states) {
    if (stack) previous[name] = stack.outputs;
    else delete previous[name];
  }
  await mkdir(path.dirname(file), { recursive: true });
  const sorted = Object.fromEntries(Object.entries(previous).sort(([a], [b]) => a.localeCompare(b)));
  await writeFile(`${file}.tmp`, `${JSON.stringify(sorted, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
  return file;
}

export async function readOutputs(file: string): Promise<Record<string, Readonly<Record<string, string>>>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, Record<string, string>>;
  } catch {
    return {};
  }
}
