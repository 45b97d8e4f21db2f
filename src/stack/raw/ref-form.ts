import { REF_KEY } from '../../config/schema.js';
import { STACK_PHASES, type StackKind } from '../phases.js';

/**
 * The reference form of raw CloudFormation, `{ "spec3:ref": "<kind>.<handle>.<attribute>" }`, as
 * text: what it names, without the stacks (so the config check reads it without aws-cdk-lib).
 * `compute.functions.<name>.<attribute>` names a function; `<kind>.ext.<LogicalId>.<Attribute>`
 * a raw resource of that kind's extension block.
 */
export type ParsedRef =
  | {
      readonly form: 'spec3';
      readonly kind: StackKind;
      readonly text: string;
      readonly handle: string;
      readonly attribute: string;
      /** The function's config name, for compute.functions.<name>.<attribute>. */
      readonly function?: string;
    }
  | { readonly form: 'raw'; readonly kind: StackKind; readonly text: string; readonly logicalId: string; readonly attribute: string };

/** Splits a reference; a string says what is wrong with its shape. */
export function parseRef(text: unknown): ParsedRef | string {
  if (typeof text !== 'string') return `"${REF_KEY}" takes a string "<kind>.<handle>.<attribute>", e.g. "storage.table.arn"`;
  const parts = text.split('.');
  const kind = parts[0] as StackKind;
  if (!Object.hasOwn(STACK_PHASES, kind)) {
    return `"${text}" starts with "${parts[0]}", which is no stack kind; the kinds are ${Object.keys(STACK_PHASES).join(', ')}`;
  }
  const named = parts.length === 4 && parts.every(Boolean);
  if (parts[1] === 'ext') {
    return named ? { form: 'raw', kind, text, logicalId: parts[2]!, attribute: parts[3]! } : `"${text}" is not "<kind>.ext.<LogicalId>.<Attribute>", e.g. "storage.ext.AuditTable.Arn"`;
  }
  if (kind === 'compute' && parts[1] === 'functions') {
    return named
      ? { form: 'spec3', kind, text, handle: 'functions', function: parts[2]!, attribute: parts[3]! }
      : `"${text}" is not "compute.functions.<name>.<attribute>", e.g. "compute.functions.api.arn"`;
  }
  if (parts.length !== 3 || !parts.every(Boolean)) return `"${text}" is not "<kind>.<handle>.<attribute>", e.g. "storage.table.arn"`;
  return { form: 'spec3', kind, text, handle: parts[1]!, attribute: parts[2]! };
}

/** A raw resource's attribute as CloudFormation spells it: `arn` -> `Arn`, `ref` -> `Ref` (the resource's Ref). */
export const cfnAttribute = (attribute: string): string => attribute.charAt(0).toUpperCase() + attribute.slice(1);

/** The key a stack publishes a raw resource's value under, when another stack reads it. */
export const rawRefKey = (logicalId: string, attribute: string): string => `ext-${logicalId}-${attribute}`;
