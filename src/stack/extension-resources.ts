import { Spec3Error } from '../errors.js';
import type { StackKind } from './phases.js';
import type { Spec3Stack } from './spec3-stack.js';
import type { Wiring } from './wiring.js';

/**
 * What a named extension resource is, in the stack that creates it: its CloudFormation type and
 * the values other stacks may need (tokens of the producing stack).
 */
export interface ExtensionResourceValues {
  /** CloudFormation resource type, e.g. `AWS::DynamoDB::Table`. */
  readonly type: string;
  readonly arn: string;
  readonly name?: string;
  /** DynamoDB tables with a stream, Kinesis streams: what an event source mapping reads. */
  readonly streamArn?: string;
}

/** A named extension resource as seen from another stack: the same values, read through SSM. */
export interface ExtensionResource extends ExtensionResourceValues {
  /** Name it was registered under (`access: ["<name>:read"]`, triggers name it too). */
  readonly id: string;
  /** Stack kind that creates it. */
  readonly kind: StackKind;
}

interface Entry {
  readonly kind: StackKind;
  readonly type: string;
  readonly keys: { readonly arn: string; readonly name?: string; readonly streamArn?: string };
}

// One registry per app: its Wiring is per app, so the registry hangs off it.
const registries = new WeakMap<Wiring, Map<string, Entry>>();
const registryOf = (wiring: Wiring): Map<string, Entry> => {
  let registry = registries.get(wiring);
  if (!registry) registries.set(wiring, (registry = new Map()));
  return registry;
};

export const EXTENSION_RESOURCE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * Registers a resource an extension adds to `stack` (code extensions through `publish`, raw
 * CloudFormation resources of the config) under a stage-wide name. Its values are published
 * through SSM like spec3's own (`ext-<name>-arn`, `-name`, `-stream-arn`), so functions' `access`
 * and triggers, and `consume` in later stacks, read them within the phase rule.
 */
export function registerExtensionResource(stack: Spec3Stack, name: string, values: ExtensionResourceValues): void {
  if (!EXTENSION_RESOURCE_NAME.test(name)) {
    throw new Spec3Error(
      'EXTENSION_RESOURCE_NAME',
      `Extension resource name "${name}" is not valid: use lower-case letters, digits and dashes, starting with a letter (at most 63).`,
      'Rename it, e.g. "audit-table".',
    );
  }
  const registry = registryOf(stack.wiring);
  const existing = registry.get(name);
  if (existing) {
    throw new Spec3Error(
      'EXTENSION_RESOURCE_DUPLICATE',
      `Extension resource "${name}" is registered twice (in the ${existing.kind} and the ${stack.kind} stack).`,
      'Give each extension resource its own name.',
    );
  }
  const publish = (suffix: string, value: string) => {
    const key = `ext-${name}-${suffix}`;
    stack.wiring.publish(stack, key, value, `${suffix} of extension resource ${name} (${values.type})`);
    return key;
  };
  registry.set(name, {
    kind: stack.kind,
    type: values.type,
    keys: {
      arn: publish('arn', values.arn),
      ...(values.name !== undefined ? { name: publish('name', values.name) } : {}),
      ...(values.streamArn !== undefined ? { streamArn: publish('stream-arn', values.streamArn) } : {}),
    },
  });
}

/** Which stack registered `name`, and its type; undefined when nothing did (yet). */
export function registeredExtensionResource(wiring: Wiring, name: string): { readonly kind: StackKind; readonly type: string } | undefined {
  const entry = registryOf(wiring).get(name);
  return entry ? { kind: entry.kind, type: entry.type } : undefined;
}

/** Names of the extension resources registered so far, in registration order. */
export function extensionResourceNames(wiring: Wiring): string[] {
  return [...registryOf(wiring).keys()];
}

/**
 * The extension resource `name`, its values read into `consumer` through SSM (with the phase
 * check of Wiring.consume). `what` says who asks, for the error when nothing has that name.
 */
export function extensionResource(consumer: Spec3Stack, name: string, what: string): ExtensionResource {
  const entry = registryOf(consumer.wiring).get(name);
  if (!entry) {
    const known = extensionResourceNames(consumer.wiring);
    throw new Spec3Error(
      'EXTENSION_RESOURCE_MISSING',
      `${what} names extension resource "${name}", which no extension of this stage registers` +
        (known.length > 0 ? ` (registered: ${known.join(', ')}).` : ' (none is registered).'),
      `Publish it from an extension hook of an earlier or the same phase, e.g. publish('${name}', table) in spec3.extend.ts.`,
    );
  }
  const read = (key: string) => consumer.wiring.consume(consumer, entry.kind, key);
  return {
    id: name,
    kind: entry.kind,
    type: entry.type,
    arn: read(entry.keys.arn),
    ...(entry.keys.name ? { name: read(entry.keys.name) } : {}),
    ...(entry.keys.streamArn ? { streamArn: read(entry.keys.streamArn) } : {}),
  };
}
