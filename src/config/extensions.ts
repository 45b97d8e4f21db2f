import { Spec3Error } from '../errors.js';
import type { StackKind } from '../stack/phases.js';
import { jsonPath, valueAt } from './load.js';
import { STACK_KINDS, type RawResourceConfig, type Spec3Config } from './schema.js';

/** A raw CloudFormation resource as the stage deploys it: the base with the stage's layers merged in. */
export type RawResource = RawResourceConfig;

export interface RawOutput {
  readonly Value: string | Record<string, unknown>;
  readonly Description?: string;
}

export interface RawExtension {
  readonly resources: Readonly<Record<string, RawResource>>;
  readonly outputs: Readonly<Record<string, RawOutput>>;
}

/** One place a stage's extension values come from, as the config file names it. */
interface Layer {
  /** `extensions`, `defaults.extensions` or `stages.<stage>.extensions`. */
  readonly at: string;
  readonly value: unknown;
}

/** The raw CloudFormation of one stage, with where each value was written (for messages). */
export interface ResolvedExtensions {
  /** The config file as messages name it. */
  readonly file: string;
  readonly stacks: Readonly<Partial<Record<StackKind, RawExtension>>>;
  readonly layers: readonly Layer[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key; lists and plain values replace; null removes the key. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) delete out[key];
    else if (value !== undefined) out[key] = deepMerge(out[key], value);
  }
  return out;
}

/**
 * The stage's raw CloudFormation: `extensions` < `defaults.extensions` < `stages.<stage>.extensions`.
 * A resource only a stage layer names must give its Type there.
 */
export function resolveExtensions(config: Spec3Config, stageName: string, file: string): ResolvedExtensions {
  const layers: Layer[] = [
    { at: 'extensions', value: config.extensions },
    { at: 'defaults.extensions', value: config.defaults.extensions },
    { at: `stages.${stageName}.extensions`, value: config.stages[stageName]?.extensions },
  ].filter((l) => l.value !== undefined);
  let merged: unknown = {};
  for (const layer of layers) merged = deepMerge(merged, layer.value);
  const stacks: Partial<Record<StackKind, RawExtension>> = {};
  for (const kind of STACK_KINDS) {
    const block = (merged as Record<string, { resources?: Record<string, RawResource>; outputs?: Record<string, RawOutput> }>)[kind];
    if (!block) continue;
    for (const [id, resource] of Object.entries(block.resources ?? {})) {
      if (!resource.Type) {
        const at = layers.filter((l) => valueAt(l.value, [kind, 'resources', id]) !== undefined).map((l) => l.at);
        throw new Spec3Error(
          'CONFIG_INVALID',
          `${file}: ${at.at(-1)}.${kind}.resources.${id}: no "Type" for stage ${stageName}: extensions.${kind}.resources has no resource "${id}" to layer these values over.`,
          `Add "${id}" with its "Type" under extensions.${kind}.resources in ${file}, or give it a "Type" under ${at.at(-1)}.${kind}.resources to create it in this stage only.`,
        );
      }
    }
    for (const [id, output] of Object.entries(block.outputs ?? {})) {
      if (output.Value === undefined) {
        throw new Spec3Error(
          'CONFIG_INVALID',
          `${file}: stages.${stageName}.extensions.${kind}.outputs.${id}.Value: missing; an output needs a "Value".`,
          `Give the output a "Value" in ${file}.`,
        );
      }
    }
    const resources = block.resources ?? {};
    const outputs = block.outputs ?? {};
    if (Object.keys(resources).length + Object.keys(outputs).length > 0) stacks[kind] = { resources, outputs };
  }
  return { file, stacks, layers };
}

/**
 * Where a value of the resolved extensions was written, as a config path: the most specific layer
 * that holds the path (the stage's, else the defaults', else the base), e.g.
 * `stages.prod.extensions.storage.resources.AuditTable.Properties.BillingMode`.
 */
export function extensionField(ext: ResolvedExtensions, kind: StackKind, segments: readonly PropertyKey[]): string {
  const full = [kind, ...segments];
  for (let depth = full.length; depth > 0; depth--) {
    const layer = [...ext.layers].reverse().find((l) => valueAt(l.value, full.slice(0, depth)) !== undefined);
    if (layer) return `${layer.at}.${jsonPath(full)}`;
  }
  return `extensions.${jsonPath(full)}`;
}

export function hasExtensions(ext: ResolvedExtensions): boolean {
  return Object.keys(ext.stacks).length > 0;
}
