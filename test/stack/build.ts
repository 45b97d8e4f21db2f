import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { LoadedExtensions } from '../../src/extend/load.js';
import { resolveFunctions, resolveStage, type ResolvedFunction, type ResolvedStage } from '../../src/config/resolve.js';
import type { Spec3Config, Spec3ConfigInput } from '../../src/config/schema.js';
import { buildApp, type BuiltApp } from '../../src/stack/app.js';
import type { StackKind } from '../../src/stack/phases.js';
import type { Spec3Stack } from '../../src/stack/spec3-stack.js';
import { sampleConfig } from '../helpers/project.js';

export type StageName = 'dev' | 'staging' | 'prod';

/** One built stage of a config, with what a test needs to look at it. */
export interface BuiltStage extends BuiltApp {
  readonly config: Spec3Config;
  readonly stage: ResolvedStage;
  readonly functions: readonly ResolvedFunction[];
  /** The stack of a kind; throws when the stage has none. */
  stack(kind: StackKind): Spec3Stack;
  /** The synthesized template of a stack kind (synthesized once, then cached). */
  template(kind: StackKind): Template;
  /** Every stack's template, in stack order. */
  templates(): Template[];
  /** Removes the asset and output directories. */
  dispose(): void;
}

/**
 * Parses `input` the way spec3 reads its config file, resolves `stageName`, and builds the app with
 * each function's code in its own temporary directory holding one file, writing into a temp outdir.
 * With `extensions` (a loaded spec3.extend.ts), its hooks run as in `spec3 synth`.
 */
export function buildStage(stageName: string, input: Spec3ConfigInput = sampleConfig(), extensions?: LoadedExtensions): BuiltStage {
  const config = parseConfig(JSON.stringify(input));
  const stage = resolveStage(config, stageName);
  const functions = resolveFunctions(config, stage);
  const root = mkdtempSync(path.join(os.tmpdir(), 'spec3-stack-test-'));
  const assets = new Map<string, string>();
  for (const fn of functions) {
    const dir = mkdtempSync(path.join(root, `${fn.name}-`));
    writeFileSync(path.join(dir, 'handler.py'), `def handler(event, context):\n    return "${fn.name}"\n`);
    assets.set(fn.name, dir);
  }
  const built = buildApp({ stage, functions, features: config.features, assets, outdir: path.join(root, 'cdk.out'), ...(extensions ? { extensions } : {}) });

  const cache = new Map<StackKind, Template>();
  const stack = (kind: StackKind): Spec3Stack => {
    const found = built.stacks.find((s) => s.kind === kind);
    if (!found) throw new Error(`stage ${stageName} has no ${kind} stack`);
    return found;
  };
  const template = (kind: StackKind): Template => {
    let t = cache.get(kind);
    if (!t) {
      t = Template.fromStack(stack(kind));
      cache.set(kind, t);
    }
    return t;
  };
  return {
    ...built,
    config,
    stage,
    functions,
    stack,
    template,
    templates: () => built.stacks.map((s) => template(s.kind)),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * Builds each stage of `config()` once for the file (beforeAll) and removes it afterwards. The
 * returned record is filled in before the first test runs.
 */
export function useStages<const S extends string>(
  stages: readonly S[],
  config: () => Spec3ConfigInput = () => sampleConfig(),
): Record<S, BuiltStage> {
  const built = {} as Record<S, BuiltStage>;
  beforeAll(() => {
    for (const stage of stages) built[stage] = buildStage(stage, config());
  });
  afterAll(() => {
    for (const stage of stages) built[stage]?.dispose();
  });
  return built;
}

/**
 * For tests that change the app they build (so cannot share one): builds a fresh stage per call,
 * removed after the test.
 */
export function useFreshStages(): (stageName: string, input?: Spec3ConfigInput) => BuiltStage {
  const made: BuiltStage[] = [];
  afterEach(() => {
    for (const b of made.splice(0)) b.dispose();
  });
  return (stageName, input) => {
    const b = buildStage(stageName, input);
    made.push(b);
    return b;
  };
}

/**
 * The sample config with stage and function overrides: staging sets its own Lambda defaults,
 * `analysis` overrides memory, timeout and batch size, `api` adds an environment variable, and
 * `log-processor` has a prefix+suffix and a suffix-only S3 trigger.
 */
export function tunedConfig(): Spec3ConfigInput {
  const base = sampleConfig();
  const stages = { ...base.stages, staging: { ...base.stages.staging, lambda: { memory: 512, timeout: 20 } } };
  const functions = (base.functions ?? []).map((fn) => {
    switch (fn.name) {
      case 'analysis':
        return { ...fn, memory: 1024, timeout: 120, triggers: [{ type: 'queue' as const, batchSize: 25 }] };
      case 'api':
        return { ...fn, environment: { LOG_LEVEL: 'debug' } };
      case 'log-processor':
        return {
          ...fn,
          triggers: [
            { type: 's3' as const, prefix: 'logs/', suffix: '.json' },
            { type: 's3' as const, suffix: '.csv' },
          ],
        };
      default:
        return fn;
    }
  });
  return { ...base, stages, functions };
}

export type CfnResource = {
  Type: string;
  Properties?: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string[];
};

/** Resources of a type, keyed by logical id. */
export function resourcesOf(template: Template, type: string, props?: unknown): Record<string, CfnResource> {
  return template.findResources(type, props === undefined ? undefined : { Properties: props }) as Record<string, CfnResource>;
}

/** The only resource of a type (optionally matching `props`), with its logical id; fails otherwise. */
export function onlyResource(template: Template, type: string, props?: unknown): CfnResource & { id: string } {
  const found = Object.entries(resourcesOf(template, type, props));
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  const [id, resource] = found[0]!;
  return { id, ...resource };
}

/**
 * `{ Ref }` to the template parameter through which the stack reads the SSM parameter `name`
 * (see src/stack/wiring.ts); fails when the stack does not read it.
 */
export function ssmRef(template: Template, name: string): { Ref: string } {
  const ids = Object.keys(template.findParameters('*', { Type: 'AWS::SSM::Parameter::Value<String>', Default: name }));
  if (ids.length !== 1) throw new Error(`expected one template parameter reading ${name}, found ${ids.length}`);
  return { Ref: ids[0]! };
}

/** Every value found under `key` anywhere in a JSON tree. */
export function valuesUnder(node: unknown, key: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) node.forEach((n) => valuesUnder(n, key, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key) out.push(v);
      valuesUnder(v, key, out);
    }
  }
  return out;
}

type Statement = { Action?: string | string[]; Effect?: string; Resource?: unknown; Principal?: unknown; Sid?: string };

/** The statements of the inline policies attached to the role of the function named `functionName`. */
export function roleStatements(template: Template, functionName: string): Statement[] {
  const fn = onlyResource(template, 'AWS::Lambda::Function', { FunctionName: functionName });
  const roleId = (fn.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((p) => (p.Properties?.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** The actions of statements, flattened. */
export function actionsOf(statements: readonly Statement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : s.Action === undefined ? [] : [s.Action]));
}
