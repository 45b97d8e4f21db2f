import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { handlerFiles } from '../../src/commands/synth/check-sources.js';
import { DEFAULT_RUNTIME, type Spec3ConfigInput } from '../../src/config/schema.js';

/** The five functions of the original system, wired to fitting triggers. */
export const SAMPLE_FUNCTIONS = [
  {
    name: 'api',
    handler: 'orders.handlers.api.handler',
    access: ['table:readwrite'],
    triggers: [
      { type: 'http', method: 'GET', path: '/items' },
      { type: 'http', method: 'POST', path: '/items' },
      { type: 'http', method: 'GET', path: '/items/{id}' },
    ],
  },
  { name: 'log-processor', handler: 'orders.handlers.log_processor.handler', access: ['table:readwrite'], triggers: [{ type: 's3', prefix: 'logs/' }] },
  {
    name: 'health-monitor',
    handler: 'orders.handlers.health_monitor.handler',
    access: ['table:read', 'queue:send', 'topic:publish'],
    triggers: [{ type: 'schedule', expression: 'rate(5 minutes)' }],
  },
  { name: 'analysis', handler: 'orders.handlers.analysis.handler', access: ['table:readwrite', 'bucket:readwrite'], triggers: [{ type: 'queue', batchSize: 10 }] },
  {
    name: 'backup',
    handler: 'orders.handlers.backup.handler',
    access: ['table:read', 'bucket:readwrite'],
    triggers: [{ type: 'schedule', expression: 'cron(0 3 * * ? *)' }],
  },
] as const satisfies Spec3ConfigInput['functions'];

export function sampleConfig(overrides: Partial<Spec3ConfigInput> = {}): Spec3ConfigInput {
  return {
    project: 'orders',
    stages: {
      dev: { account: '123456789012', region: 'us-east-1' },
      staging: { account: '123456789012', region: 'us-east-1' },
      prod: { account: '123456789012', region: 'us-east-1', alarmEmail: 'oncall@example.com' },
    },
    features: { api: { type: 'rest' }, vpc: true },
    functions: SAMPLE_FUNCTIONS.map((f) => ({ ...f, access: [...f.access], triggers: [...f.triggers] })),
    ...overrides,
  };
}

/** Writes a config and a handler file for every function into `dir`. */
export async function writeProject(dir: string, config: Spec3ConfigInput = sampleConfig()): Promise<void> {
  await writeFile(path.join(dir, 'spec3.config.json'), JSON.stringify(config, null, 2));
  for (const fn of config.functions ?? []) {
    const source = path.join(dir, fn.source ?? 'src');
    const file = path.join(source, handlerFiles({ runtime: fn.runtime ?? DEFAULT_RUNTIME, handler: fn.handler })[0]!);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'def handler(event, context):\n    return {"ok": True}\n');
  }
}

/** Writes files by path relative to `dir` (directories made as needed): a checkout's clutter in one call. */
export async function writeFiles(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
}
