import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { resolveStage } from '../../src/config/resolve.js';
import type { Spec3ConfigInput } from '../../src/config/schema.js';
import { stackKindsOf } from '../../src/stack/kinds.js';
import { sampleConfig } from '../helpers/project.js';
import { buildStage } from './build.js';

const fullExample = (): Spec3ConfigInput =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, '../../examples/full/spec3.config.json'), 'utf8')) as Spec3ConfigInput;

const CASES: readonly { name: string; config: () => Spec3ConfigInput; stages: readonly string[] }[] = [
  { name: 'the sample project', config: () => sampleConfig(), stages: ['dev', 'prod'] },
  { name: 'no functions, no VPC', config: () => sampleConfig({ functions: [], features: { vpc: false } }), stages: ['dev'] },
  { name: 'HTTP API only', config: () => sampleConfig({ functions: [sampleConfig().functions![0]!], features: { api: { type: 'http' }, vpc: true } }), stages: ['staging'] },
  { name: 'the full-feature example', config: fullExample, stages: ['dev', 'staging', 'prod'] },
];

describe('stackKindsOf: the stacks a stage has, without CDK', () => {
  for (const c of CASES) {
    it.each(c.stages)(`matches the stacks the app builds for ${c.name}, stage %s`, (stageName) => {
      const built = buildStage(stageName, c.config());
      try {
        const config = parseConfig(JSON.stringify(c.config()));
        const kinds = stackKindsOf({ stage: resolveStage(config, stageName), functions: config.functions, features: config.features });
        expect([...kinds].sort()).toEqual(built.stacks.map((s) => s.kind).sort());
      } finally {
        built.dispose();
      }
    });
  }
});
