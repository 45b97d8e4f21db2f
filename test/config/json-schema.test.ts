import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/json-schema.js';
import { STACK_KINDS } from '../../src/config/schema.js';

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

  it('completes raw CloudFormation extensions: every stack kind, nothing else, and the fields of a resource', () => {
    type Node = { properties: Record<string, Node>; additionalProperties?: Node | false; $ref?: string; required?: string[] };
    const schema = configJsonSchema() as unknown as Node & { $defs: Record<string, Node> };
    const extensions = schema.properties.extensions!;
    expect(Object.keys(extensions.properties)).toEqual(STACK_KINDS);
    expect(extensions.additionalProperties).toBe(false);
    const block = schema.$defs[extensions.properties.storage!.$ref!.replace('#/$defs/', '')]!;
    const resource = block.properties.resources!.additionalProperties as Node;
    expect(Object.keys(resource.properties)).toEqual(['Type', 'Properties', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata']);
    expect(resource.required).toEqual(['Type']);
    const stageLayer = (schema.properties.stages!.additionalProperties as Node).properties.extensions!;
    const stageResource = schema.$defs[stageLayer.properties.storage!.$ref!.replace('#/$defs/', '')]!.properties.resources!.additionalProperties as Node;
    expect(stageResource.required ?? []).toEqual([]);
  });
});
