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

const SAMPLE = ['network', 'security', 'storage', 'messaging', 'compute', 'api', 'monitoring', 'integrations'];
const FULL = [...SAMPLE, 'pipeline', 'data', 'service'];

/** Each config with, per stage, the stack kinds it must have (in any order). */
const CASES: readonly { name: string; config: () => Spec3ConfigInput; stages: Record<string, readonly string[]> }[] = [
  { name: 'the sample project', config: () => sampleConfig(), stages: { dev: SAMPLE, prod: [...SAMPLE, 'edge'] } },
  {
    name: 'no functions, no VPC',
    config: () => sampleConfig({ functions: [], features: { vpc: false } }),
    stages: { dev: ['security', 'storage', 'messaging', 'monitoring'] },
  },
  {
    name: 'HTTP API only',
    config: () => sampleConfig({ functions: [sampleConfig().functions![0]!], features: { api: { type: 'http' }, vpc: true } }),
    stages: { staging: ['network', 'security', 'storage', 'messaging', 'compute', 'api', 'monitoring'] },
  },
  { name: 'the full-feature example', config: fullExample, stages: { dev: FULL, staging: [...FULL, 'edge'], prod: [...FULL, 'edge'] } },
];

describe('stackKindsOf: the stacks a stage has, without CDK', () => {
  for (const c of CASES) {
    it.each(Object.keys(c.stages))(`gives the stacks of ${c.name}, stage %s, and the app builds exactly those`, (stageName) => {
      const config = parseConfig(JSON.stringify(c.config()));
      const kinds = stackKindsOf({ stage: resolveStage(config, stageName), functions: config.functions, features: config.features });
      expect([...kinds].sort()).toEqual([...c.stages[stageName]!].sort());
      const built = buildStage(stageName, c.config());
      try {
        expect(built.stacks.map((s) => s.kind).sort()).toEqual([...kinds].sort());
      } finally {
        built.dispose();
      }
    });
  }
});
