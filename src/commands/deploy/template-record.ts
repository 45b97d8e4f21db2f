import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeployedStack } from '../../aws/cfn/stacks.js';

interface Entry {
  readonly stackId: string;
  readonly lastUpdated: string;
  readonly sha256: string;
}

/**
 * `.spec3/<stage>/templates.json`: for each stack, the template it had when spec3 last deployed
 * or checked it, with the stack's id and last-update time at that moment. Any update of the
 * stack, by spec3 or anything else, changes its last-update time, and a re-created stack has a
 * new id; while both still match, the stack still has that template, so a redeploy can compare
 * hashes instead of downloading every template. Anything else falls back to GetTemplate.
 */
export class TemplateRecord {
  private constructor(
    private readonly file: string,
    private readonly entries: Record<string, Entry>,
  ) {}

  static async load(projectDir: string, stage: string): Promise<TemplateRecord> {
    const file = path.join(projectDir, '.spec3', stage, 'templates.json');
    let entries: Record<string, Entry> = {};
    try {
      entries = JSON.parse(await readFile(file, 'utf8')) as Record<string, Entry>;
    } catch {
      // Missing or unreadable: nothing is known, every template is read from CloudFormation.
    }
    return new TemplateRecord(file, entries);
  }

  /** Whether the deployed stack is known to have exactly this template body. */
  has(stack: DeployedStack, body: string): boolean {
    const entry = this.entries[stack.name];
    return Boolean(entry && entry.stackId === stack.id && entry.lastUpdated === stamp(stack) && entry.sha256 === sha256(body));
  }

  /** Notes that the stack, as just described, has this template body. */
  set(stack: DeployedStack, body: string): void {
    this.entries[stack.name] = { stackId: stack.id, lastUpdated: stamp(stack), sha256: sha256(body) };
  }

  async save(): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const sorted = Object.fromEntries(Object.entries(this.entries).sort(([a], [b]) => a.localeCompare(b)));
    await writeFile(`${this.file}.tmp`, `${JSON.stringify(sorted, null, 2)}\n`);
    await rename(`${this.file}.tmp`, this.file);
  }
}

const stamp = (stack: DeployedStack): string => stack.lastUpdated?.toISOString() ?? '';
const sha256 = (body: string): string => createHash('sha256').update(body).digest('hex');
