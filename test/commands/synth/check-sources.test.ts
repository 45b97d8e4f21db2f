import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSources, handlerFiles } from '../../../src/commands/synth/check-sources.js';
import { useTempDirs } from '../../helpers/tmp.js';

const tempDir = useTempDirs();
const fn = { name: 'api', runtime: 'python3.13' as const, handler: 'orders.handlers.api.handler', source: 'src', requirements: 'requirements.txt', access: [], triggers: [], environment: {} };

describe('handlerFiles', () => {
  it('maps Python and Node.js handlers to their files', () => {
    expect(handlerFiles(fn)).toEqual(['orders/handlers/api.py']);
    expect(handlerFiles({ runtime: 'nodejs22.x', handler: 'handlers/api.handler' })).toEqual([
      'handlers/api.mjs',
      'handlers/api.js',
      'handlers/api.cjs',
    ]);
  });
});

describe('checkSources', () => {
  it('names the field and the directory when the source directory is missing', async () => {
    const dir = await tempDir();
    await expect(checkSources([fn], dir, 'spec3.config.json')).rejects.toMatchObject({
      code: 'FUNCTION_SOURCE_MISSING',
      message: `spec3.config.json: functions[0].source: directory "src" of function "api" does not exist (looked in ${path.join(dir, 'src')}).`,
    });
  });

  it('names the handler file that is missing, and passes once it exists', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'src', 'orders', 'handlers'), { recursive: true });
    await expect(checkSources([fn], dir, 'spec3.config.json')).rejects.toMatchObject({
      code: 'FUNCTION_HANDLER_MISSING',
      message: 'spec3.config.json: functions[0].handler: "orders.handlers.api.handler" needs src/orders/handlers/api.py, which does not exist.',
      hint: 'Create that file with a "handler" function, or fix "handler".',
    });
    await writeFile(path.join(dir, 'src', 'orders', 'handlers', 'api.py'), '');
    await expect(checkSources([fn], dir, 'spec3.config.json')).resolves.toBeUndefined();
  });
});
