import { z } from 'zod';
import { configSchema } from './schema.js';

/** The JSON Schema of `spec3.config.json`, generated from the one zod schema (what users type in). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://spec3.dev/schema/spec3.config.schema.json',
    title: 'spec3 project configuration',
  };
}
