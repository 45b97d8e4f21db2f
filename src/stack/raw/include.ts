import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CfnElement, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { extensionField, type RawExtension, type ResolvedExtensions } from '../../config/extensions.js';
import type { ResolvedStage } from '../../config/resolve.js';
import { REF_KEY } from '../../config/schema.js';
import { Spec3Error, isSpec3Error } from '../../errors.js';
import { acknowledge } from '../acknowledge.js';
import { phaseIndex, type StackKind } from '../phases.js';
import { keepsData } from '../removal.js';
import type { Spec3Stack } from '../spec3-stack.js';
import type { Wiring } from '../wiring.js';
import { cfnAttribute, parseRef, rawRefKey, type ParsedRef } from './ref-form.js';
import { refTarget, refsOf } from './refs.js';
import { DATA_RESOURCE_TYPES } from './retain.js';

export interface RawExtensionsInput {
  readonly stage: ResolvedStage;
  readonly stacks: readonly Spec3Stack[];
  readonly wiring: Wiring;
}

/** A `spec3:ref` found in a raw block, replaced by a template parameter until its value is known. */
interface Slot {
  readonly parameter: string;
  readonly ref: ParsedRef;
  readonly field: string;
  value?: string;
}

interface Included {
  readonly stack: Spec3Stack;
  readonly include: CfnInclude;
  readonly ext: RawExtension;
}

const PARAMETER_PREFIX = 'Spec3Ref';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Merges each stack kind's raw CloudFormation (`extensions.<kind>`) into that stack, as typed
 * CloudFormation elements (through aws-cdk-lib's CfnInclude, so the policy checks see a raw table
 * as a table). References to spec3's resources become the resource's own token inside its stack
 * and an SSM-typed parameter in another, under the phase rule; data resources without a
 * DeletionPolicy are retained where spec3 keeps its own data.
 */
export function addRawExtensions(input: RawExtensionsInput): void {
  const ext = input.stage.extensions;
  const kinds = Object.keys(ext.stacks) as StackKind[];
  if (kinds.length === 0) return;
  const included = new Map<StackKind, Included>();
  const slots: (Slot & { readonly consumer: Spec3Stack })[] = [];

  for (const kind of kinds) {
    const stack = input.wiring.stackOf(kind);
    if (!stack) throw missingStack(ext, kind, input);
    const block = ext.stacks[kind]!;
    checkLogicalIds(ext, kind, block, stack);
    const own: Slot[] = [];
    const resources = replaceRefs(block.resources, ext, kind, ['resources'], own);
    const outputs = replaceRefs(block.outputs, ext, kind, ['outputs'], own);
    checkLocalRefs(ext, kind, block);
    const template = {
      Parameters: Object.fromEntries(own.map((s) => [s.parameter, { Type: 'String' }])),
      Resources: resources,
      Outputs: outputs,
    };
    const include = includeTemplate(stack, template, own);
    for (const [id, resource] of Object.entries(block.resources)) {
      const element = include.getResource(id);
      if (resource.DeletionPolicy === undefined && DATA_RESOURCE_TYPES.has(resource.Type) && keepsData(input.stage)) {
        element.applyRemovalPolicy(RemovalPolicy.RETAIN);
      }
      const suppressions = (resource.Metadata?.cdk_nag as { rules_to_suppress?: { id: string; reason: string }[] } | undefined)?.rules_to_suppress;
      if (Array.isArray(suppressions)) acknowledge(element, ...suppressions);
    }
    included.set(kind, { stack, include, ext: block });
    slots.push(...own.map((s) => Object.assign(s, { consumer: stack })));
  }

  for (const slot of slots) slot.value = resolveSlot(slot, slot.consumer, included, input);
}

/**
 * Includes the block as a template. CfnInclude reads a file, so the template is written to a
 * directory of its own and removed once read: nothing is left in the assembly directory, which
 * must hold a cloud assembly or nothing (a failed synth would otherwise leave it unusable).
 */
function includeTemplate(stack: Spec3Stack, template: object, slots: readonly Slot[]): CfnInclude {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spec3-raw-'));
  try {
    const file = path.join(dir, `${stack.stackName}.json`);
    writeFileSync(file, JSON.stringify(template));
    return new CfnInclude(stack, 'RawCloudFormation', {
      templateFile: file,
      // Each reference's value is decided once every stack's raw resources exist (a reference may
      // point at a raw resource of a stack included later), so it is read lazily at synth.
      parameters: Object.fromEntries(slots.map((s) => [s.parameter, Lazy.string({ produce: () => s.value })])),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function missingStack(ext: ResolvedExtensions, kind: StackKind, input: RawExtensionsInput): Spec3Error {
  const has = input.stacks.map((s) => s.kind);
  return new Spec3Error(
    'EXTENSION_STACK_MISSING',
    `${ext.file}: ${extensionField(ext, kind, [])}: stage ${input.stage.name} has no ${kind} stack, so its raw resources have nowhere to go; the stage's stacks are ${has.join(', ')}.`,
    `Move the block to extensions.<kind> of one of those stacks in ${ext.file}, or enable what creates the ${kind} stack (see "What gets built" in the README).`,
  );
}

function checkLogicalIds(ext: ResolvedExtensions, kind: StackKind, block: RawExtension, stack: Spec3Stack): void {
  const own = new Set(
    stack.node
      .findAll()
      .filter((c): c is CfnElement => CfnElement.isCfnElement(c))
      .map((el) => stack.resolve(el.logicalId) as string),
  );
  for (const [section, ids] of [['resources', Object.keys(block.resources)], ['outputs', Object.keys(block.outputs)]] as const) {
    for (const id of ids) {
      if (own.has(id) || id.startsWith(PARAMETER_PREFIX)) {
        throw new Spec3Error(
          'EXTENSION_LOGICAL_ID_CLASH',
          `${ext.file}: ${extensionField(ext, kind, [section, id])}: "${id}" is already a logical id of spec3's own ${stack.stackName} template${id.startsWith(PARAMETER_PREFIX) ? ` (ids starting with "${PARAMETER_PREFIX}" are spec3's)` : ''}.`,
          `Rename it in ${ext.file}, e.g. "Ext${id}".`,
        );
      }
    }
  }
}

/** A copy of `node` with every { "spec3:ref": ... } replaced by a Ref to a new template parameter. */
function replaceRefs<T>(node: T, ext: ResolvedExtensions, kind: StackKind, at: PropertyKey[], slots: Slot[]): T {
  if (Array.isArray(node)) return node.map((n, i) => replaceRefs(n, ext, kind, [...at, i], slots)) as T;
  if (!isObject(node)) return node;
  if (REF_KEY in node) {
    const field = `${ext.file}: ${extensionField(ext, kind, at)}`;
    const ref = parseRef(node[REF_KEY]);
    if (typeof ref === 'string' || Object.keys(node).length !== 1) {
      throw new Spec3Error(
        'EXTENSION_REF_INVALID',
        `${field}: ${typeof ref === 'string' ? ref : `{ "${REF_KEY}": ... } must be the only key of its object`}.`,
        'See "Raw CloudFormation in spec3.config.json" in the README for the references spec3 offers.',
      );
    }
    const parameter = `${PARAMETER_PREFIX}${slots.length}`;
    slots.push({ parameter, ref, field });
    return { Ref: parameter } as T;
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, replaceRefs(v, ext, kind, [...at, k], slots)])) as T;
}

/** Ref, Fn::GetAtt and DependsOn may name only resources of the same block (or pseudo parameters). */
function checkLocalRefs(ext: ResolvedExtensions, kind: StackKind, block: RawExtension): void {
  const ids = Object.keys(block.resources);
  const fail = (at: PropertyKey[], target: string) =>
    new Spec3Error(
      'EXTENSION_REF_MISSING',
      `${ext.file}: ${extensionField(ext, kind, at)}: "${target}" is not a resource of extensions.${kind}.resources (${ids.join(', ') || 'none'}).`,
      `A plain Ref or Fn::GetAtt names a raw resource of the same stack; for spec3's own resources or another stack's, use { "${REF_KEY}": "<kind>.<handle>.<attribute>" } (see the README's list).`,
    );
  const walk = (node: unknown, at: PropertyKey[]): void => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, [...at, i]));
    else if (isObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Ref' && typeof value === 'string' && !value.startsWith('AWS::') && !ids.includes(value)) throw fail([...at, key], value);
        if (key === 'Fn::GetAtt') {
          const target = Array.isArray(value) ? value[0] : typeof value === 'string' ? value.split('.')[0] : undefined;
          if (typeof target === 'string' && !ids.includes(target)) throw fail([...at, key], target);
        }
        if (key !== REF_KEY) walk(value, [...at, key]);
      }
    }
  };
  for (const [id, resource] of Object.entries(block.resources)) {
    walk(resource.Properties, ['resources', id, 'Properties']);
    for (const dep of [resource.DependsOn ?? []].flat()) if (!ids.includes(dep)) throw fail(['resources', id, 'DependsOn'], dep);
  }
  for (const [id, output] of Object.entries(block.outputs)) walk(output.Value, ['outputs', id, 'Value']);
}

function resolveSlot(slot: Slot, consumer: Spec3Stack, included: ReadonlyMap<StackKind, Included>, input: RawExtensionsInput): string {
  const { ref, field } = slot;
  const { wiring } = input;
  const producer = wiring.stackOf(ref.kind);
  if (!producer) {
    throw new Spec3Error(
      'EXTENSION_REF_MISSING',
      `${field}: "${ref.text}" points into the ${ref.kind} stack, which stage ${input.stage.name} does not have; its stacks are ${input.stacks.map((s) => s.kind).join(', ')}.`,
      'Reference a resource of one of those stacks, or enable what creates that stack.',
    );
  }
  let key: string;
  let own: string;
  let description: string;
  if (ref.form === 'spec3') {
    const target = refTarget(ref, producer.handles);
    if (!target) {
      const existing = refsOf(ref.kind, producer.handles);
      throw new Spec3Error(
        'EXTENSION_REF_MISSING',
        `${field}: "${ref.text}" is no spec3 resource of stage ${input.stage.name}; the ${ref.kind} stack offers ${existing.length > 0 ? existing.join(', ') : 'no references'}${included.has(ref.kind) ? `, and its raw resources as ${ref.kind}.ext.<LogicalId>.<Attribute>` : ''}.`,
        'Use one of those (the README lists every reference and when a stage has it).',
      );
    }
    ({ key, value: own } = target);
    description = `${ref.text}, read by raw CloudFormation of later stacks`;
  } else {
    const target = included.get(ref.kind);
    const ids = target ? Object.keys(target.ext.resources) : [];
    if (!target || !ids.includes(ref.logicalId)) {
      throw new Spec3Error(
        'EXTENSION_REF_MISSING',
        `${field}: "${ref.text}": extensions.${ref.kind}.resources has no resource "${ref.logicalId}" in stage ${input.stage.name}${ids.length > 0 ? `; it has ${ids.join(', ')}` : ''}.`,
        `Name a resource of extensions.${ref.kind}.resources, or add "${ref.logicalId}" there.`,
      );
    }
    const element = target.include.getResource(ref.logicalId);
    const attribute = cfnAttribute(ref.attribute);
    own = attribute === 'Ref' ? element.ref : element.getAtt(attribute).toString();
    key = rawRefKey(ref.logicalId, attribute);
    description = `${attribute} of ${ref.logicalId} (raw resource of ${producer.stackName})`;
  }
  if (producer === consumer) return own;
  if (phaseIndex(producer.phase) > phaseIndex(consumer.phase)) {
    throw new Spec3Error(
      'PHASE_ORDER',
      `${field}: "${ref.text}" is in ${producer.stackName} (phase ${producer.phase}), a later phase than ${consumer.stackName} (phase ${consumer.phase}); a stack may only use stacks of its own or an earlier phase.`,
      `Move the resource that needs it under extensions.<kind> of a stack of phase ${producer.phase} or later (e.g. extensions.integrations) in ${input.stage.extensions.file}.`,
    );
  }
  // Published on first use: spec3 publishes what its own stacks read, raw CloudFormation may read more.
  if (wiring.publishedValue(ref.kind, key) === undefined) wiring.publish(producer, key, own, description);
  try {
    return wiring.consume(consumer, ref.kind, key);
  } catch (error) {
    if (isSpec3Error(error)) throw error;
    // CDK refuses a stack dependency that closes a cycle (two stacks of one phase reading each other).
    throw new Spec3Error(
      'EXTENSION_REF_CYCLE',
      `${field}: "${ref.text}" would make ${consumer.stackName} and ${producer.stackName} read from each other: ${(error as Error).message}`,
      'Move one of the two resources into the other stack, or into a stack of a later phase.',
      { cause: error },
    );
  }
}
