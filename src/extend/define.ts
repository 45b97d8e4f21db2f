import type { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ResolvedStage } from '../config/resolve.js';
import type { StackHandles } from '../stack/handles.js';
import type { Phase, StackKind } from '../stack/phases.js';

/** What every hook receives. */
export interface HookContext<K extends StackKind> {
  /** The stack of this kind: new constructs go here (`new dynamodb.TableV2(stack, 'Audit', ...)`). */
  readonly stack: Stack;
  readonly kind: K;
  readonly phase: Phase;
  /** The stage's settings, resolved from the config (name, account, region, protected, ...). */
  readonly stage: ResolvedStage;
  /** spec3's own resources in this stack (the table, the bucket, the functions, the API...). */
  readonly resources: StackHandles[K];
  /**
   * Makes a value readable by stacks of this or a later phase, through an SSM parameter. A
   * construct (table, bucket, queue, topic, key, function, state machine, event bus, stream, user
   * pool, role, log group) also becomes a named extension resource: functions may name it in
   * `access` ("<name>:readwrite") and in triggers.
   */
  publish(name: string, value: string | IConstruct): void;
  /**
   * What a stack of `kind` published under `name`: a string for a published string, for a construct
   * the same kind of construct imported into this stack (so `grant*` methods work). Reading from a
   * stack of a later phase fails at synth (PHASE_ORDER).
   */
  consume<T = any>(kind: StackKind, name: string): T;
}

/** The compute hook also gets the functions by their config name. */
export interface ComputeHookContext extends HookContext<'compute'> {
  /** Config function name -> its Lambda function (grant to it: `table.grantReadData(functions.api)`). */
  readonly functions: StackHandles['compute']['functions'];
  /** Config function name -> its `live` alias, what callers invoke. */
  readonly aliases: StackHandles['compute']['aliases'];
}

/** The context of the hook of one stack kind. */
export type HookContextOf<K extends StackKind> = K extends 'compute' ? ComputeHookContext : HookContext<K>;

/** One optional hook per stack kind; each runs right after spec3 builds that stack, before synth. */
export type Extensions = { readonly [K in StackKind]?: (context: HookContextOf<K>) => void };

/** Marks the default export of spec3.extend.ts; Symbol.for, so any copy of this module agrees. */
export const EXTENSIONS_BRAND = Symbol.for('spec3.extensions');

/**
 * Declares the extensions of a project: `export default defineExtensions({ storage({ stack }) {...} })`.
 * Typed per stack kind, so editors complete hook names, their context and the handles.
 */
export function defineExtensions(extensions: Extensions): Extensions {
  Object.defineProperty(extensions, EXTENSIONS_BRAND, { value: true, enumerable: false });
  return extensions;
}
