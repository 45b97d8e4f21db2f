import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/json-schema.js';

describe('shipped JSON Schema', () => {
  it('is the schema generated from src/config/schema.ts (run `npm run schema` after changing it)', async () => {
    const shipped = JSON.parse(await readFile(new URL('../../schema/spec3.config.schema.json', import.meta.url), 'utf8'));
    expect(shipped).toEqual(configJsonSchema());
  });

  it('describes the stage fields editors should complete', () => {
    const schema = configJsonSchema() as { properties: { stages: { additionalProperties: { properties: Record<string, unknown> } } } };
    const fields = Object.keys(schema.properties.stages.additionalProperties.properties);
    expect(fields).toEqual(expect.arrayContaining(['account', 'region', 'natGateways', 'protected', 'retainData', 'waf', 'alarms', 'alarmEmail']));
  });
});
