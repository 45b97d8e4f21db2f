// Regenerates schema/spec3.config.schema.json from src/config/schema.ts (npm run schema).
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/config/json-schema.js';

writeFileSync(new URL("../schema/spec3.config.schema.json", import.meta.url), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
