import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_ACCOUNT, DEFAULT_REGION } from '../../src/commands/init/ask.js';
import { buildConfig } from '../../src/commands/init/config.js';
import { DEFAULT_STAGES } from '../../src/config/presets.js';
import { DEFAULT_RUNTIME, type Spec3ConfigInput } from '../../src/config/schema.js';
import type { BuiltStage } from './build.js';

/** The project in examples/full, which turns every optional part on. */
export function fullExample(): Spec3ConfigInput {
  return JSON.parse(readFileSync(path.join(import.meta.dirname, '../../examples/full/spec3.config.json'), 'utf8')) as Spec3ConfigInput;
}

/** The config `spec3 init --yes` writes for a project named `orders`. */
export function initConfig(): Spec3ConfigInput {
  return buildConfig({
    project: 'orders',
    runtime: DEFAULT_RUNTIME,
    stages: DEFAULT_STAGES.map((name) => ({ name, account: DEFAULT_ACCOUNT, region: DEFAULT_REGION })),
    api: 'rest',
    vpc: true,
    github: undefined,
    git: false,
  });
}

export interface Finding {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly paths: readonly string[];
  readonly description: string;
}

/** The unacknowledged AWS Solutions findings of a built stage (its app is synthesized first). */
export function nagFindings(built: BuiltStage): Finding[] {
  built.app.synth();
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(built.app);
  return report.violations.map((v) => ({
    rule: v.ruleName,
    severity: v.severity as Finding['severity'],
    paths: v.violatingResources.map((r) => r.constructPath ?? '(unknown)'),
    description: v.description,
  }));
}

