import { Spec3Error } from '../errors.js';
import type { StackKind } from '../stack/phases.js';
import { cfnAttribute, parseRef } from '../stack/raw/ref-form.js';
import { extensionField, type RawExtension, type ResolvedExtensions } from './extensions.js';
import { closest } from './load.js';
import { REF_KEY } from './schema.js';

/*
 * The parts of @aws-cdk/aws-service-spec's database read here (the CloudFormation resource
 * specification aws-cdk-lib's L1 classes are generated from), written out structurally.
 */
type SpecType =
  | { readonly type: 'string' | 'number' | 'integer' | 'boolean' | 'json' | 'date-time' | 'null' | 'tag' }
  | { readonly type: 'ref'; readonly reference: { readonly $ref: string } }
  | { readonly type: 'array' | 'map'; readonly element: SpecType }
  | { readonly type: 'union'; readonly types: readonly SpecType[] };
interface SpecProperty {
  readonly type: SpecType;
  readonly required?: boolean;
}
interface SpecShape {
  readonly properties: Readonly<Record<string, SpecProperty>>;
}
interface SpecResource extends SpecShape {
  readonly cloudFormationType: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}
interface SpecDb {
  lookup(key: 'resource', index: 'cloudFormationType', lookup: 'equals', value: string): readonly SpecResource[];
  all(key: 'resource'): readonly SpecResource[];
  get(key: 'typeDefinition', id: string): SpecShape & { readonly name: string };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An intrinsic function or a spec3 reference: its value is only known at deploy, so any type may hold it. */
const isIntrinsic = (v: unknown): boolean => {
  if (!isObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === REF_KEY || keys[0]!.startsWith('Fn::'));
};

const MAX_PROBLEMS = 20;

/**
 * Checks the stage's raw CloudFormation against the resource specification, so that a mistake is a
 * named error at synth rather than a failed deploy: the type exists, every property (at every
 * depth) is one the type has, required properties are present, values have the basic JSON type
 * the property takes, and attributes read with Fn::GetAtt or `<kind>.ext.<LogicalId>.<Attribute>`
 * exist. Loads the specification (a few seconds) only when the stage has raw resources.
 */
export async function checkRawExtensions(ext: ResolvedExtensions): Promise<void> {
  const kinds = Object.keys(ext.stacks) as StackKind[];
  if (kinds.length === 0) return;
  const { loadAwsServiceSpec } = await import('@aws-cdk/aws-service-spec');
  const db = (await loadAwsServiceSpec()) as unknown as SpecDb;
  const problems: string[] = [];
  const where = (kind: StackKind, at: readonly PropertyKey[]) => `${ext.file}: ${extensionField(ext, kind, at)}`;
  const typeOf = new Map<string, SpecResource | undefined>();
  const spec = (type: string) => {
    if (!typeOf.has(type)) typeOf.set(type, db.lookup('resource', 'cloudFormationType', 'equals', type)[0]);
    return typeOf.get(type);
  };

  for (const kind of kinds) {
    const block = ext.stacks[kind]!;
    for (const [id, resource] of Object.entries(block.resources)) {
      const resourceSpec = spec(resource.Type);
      if (!resourceSpec) {
        const guess = closest(resource.Type, db.all('resource').map((r) => r.cloudFormationType));
        problems.push(
          `${where(kind, ['resources', id, 'Type'])}: "${resource.Type}" is no CloudFormation resource type${guess ? `; did you mean "${guess}"?` : ' (see the AWS resource and property types reference)'}`,
        );
        continue;
      }
      checkShape(db, resourceSpec, resource.Properties ?? {}, ['resources', id, 'Properties'], (at, text) => problems.push(`${where(kind, at)}: ${text}`), resource.Type);
    }
    checkAttributes(ext, kind, block, spec, (at, text) => problems.push(`${where(kind, at)}: ${text}`));
  }

  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    const more = problems.length > shown.length ? `\n  ... and ${problems.length - shown.length} more` : '';
    throw new Spec3Error(
      'EXTENSION_INVALID',
      shown.length === 1 ? shown[0]! : `${ext.file}: raw CloudFormation has ${problems.length} problems:\n  ${shown.join('\n  ')}${more}`,
      `Fix the field${problems.length === 1 ? '' : 's'} above in ${ext.file}; property names and types are those of the AWS CloudFormation resource reference.`,
    );
  }
}

type Report = (at: readonly PropertyKey[], text: string) => void;

function checkShape(db: SpecDb, shape: SpecShape, value: unknown, at: PropertyKey[], report: Report, what: string): void {
  if (isIntrinsic(value)) return;
  if (!isObject(value)) {
    report(at, `expected an object of ${what} properties; got ${describe(value)}`);
    return;
  }
  const names = Object.keys(shape.properties);
  for (const [name, child] of Object.entries(value)) {
    const property = shape.properties[name];
    if (!property) {
      // A near miss, or the name a shortened one stands for (PointInTimeRecovery -> ...Specification).
      const guess = closest(name, names) ?? names.find((n) => n.toLowerCase().startsWith(name.toLowerCase()));
      report([...at, name], `${what} has no property "${name}"; ${guess ? `did you mean "${guess}"?` : `its properties are ${names.join(', ') || '(none)'}`}`);
      continue;
    }
    checkValue(db, property.type, child, [...at, name], report);
  }
  for (const [name, property] of Object.entries(shape.properties)) {
    if (property.required && !(name in value)) report([...at, name], `missing; ${what} requires "${name}"`);
  }
}

/** Returns silently when `value` fits `type`; reports the first mismatch otherwise. */
function checkValue(db: SpecDb, type: SpecType, value: unknown, at: PropertyKey[], report: Report): void {
  if (isIntrinsic(value)) return;
  const mismatch = mismatchOf(db, type, value);
  if (mismatch === undefined) return;
  if (type.type === 'ref' && isObject(value)) {
    const def = db.get('typeDefinition', type.reference.$ref);
    checkShape(db, def, value, at, report, def.name);
    return;
  }
  if (type.type === 'array' && Array.isArray(value)) {
    value.forEach((item, i) => checkValue(db, type.element, item, [...at, i], report));
    return;
  }
  if (type.type === 'map' && isObject(value)) {
    for (const [k, v] of Object.entries(value)) checkValue(db, type.element, v, [...at, k], report);
    return;
  }
  if (type.type === 'union') {
    // Report through the option whose JSON kind matches, so the message is about the inner problem.
    const option = type.types.find((t) => jsonKindOf(t) === jsonKind(value));
    if (option) {
      checkValue(db, option, value, at, report);
      return;
    }
  }
  report(at, mismatch);
}

/** Why `value` does not fit `type`, or undefined when it does (nested problems included). */
function mismatchOf(db: SpecDb, type: SpecType, value: unknown): string | undefined {
  if (isIntrinsic(value)) return undefined;
  const expected = `expected ${describeType(type)}; got ${describe(value)}`;
  switch (type.type) {
    case 'string':
    case 'date-time':
      // CloudFormation turns numbers and booleans into strings where a string is expected.
      return ['string', 'number', 'boolean'].includes(typeof value) ? undefined : expected;
    case 'number':
    case 'integer':
      if (typeof value === 'number') return type.type === 'integer' && !Number.isInteger(value) ? expected : undefined;
      return typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? undefined : expected;
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false' ? undefined : expected;
    case 'json':
    case 'null':
      return undefined;
    case 'tag':
      return isObject(value) && 'Key' in value && 'Value' in value ? undefined : 'expected a tag { "Key": ..., "Value": ... }';
    case 'array':
      if (!Array.isArray(value)) return expected;
      return value.some((v) => mismatchOf(db, type.element, v) !== undefined) ? 'nested' : undefined;
    case 'map':
      if (!isObject(value)) return expected;
      return Object.values(value).some((v) => mismatchOf(db, type.element, v) !== undefined) ? 'nested' : undefined;
    case 'ref': {
      if (!isObject(value)) return expected;
      const def = db.get('typeDefinition', type.reference.$ref);
      const bad =
        Object.entries(value).some(([k, v]) => !def.properties[k] || mismatchOf(db, def.properties[k].type, v) !== undefined) ||
        Object.entries(def.properties).some(([k, p]) => p.required && !(k in value));
      return bad ? 'nested' : undefined;
    }
    case 'union':
      return type.types.some((t) => mismatchOf(db, t, value) === undefined) ? undefined : expected;
  }
}

const jsonKind = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
function jsonKindOf(type: SpecType): string {
  switch (type.type) {
    case 'array':
      return 'array';
    case 'map':
    case 'ref':
    case 'tag':
      return 'object';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'union':
      return 'union';
    default:
      return 'string';
  }
}

function describeType(type: SpecType): string {
  switch (type.type) {
    case 'string':
      return 'a string';
    case 'date-time':
      return 'a date-time string';
    case 'number':
      return 'a number';
    case 'integer':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return `a list of ${describeType(type.element).replace(/^an? /, '')}s`;
    case 'map':
    case 'ref':
    case 'tag':
      return 'an object';
    case 'union':
      return [...new Set(type.types.map(describeType))].join(' or ');
    default:
      return 'a value';
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Attributes read from raw resources (Fn::GetAtt inside a block, `<kind>.ext.<id>.<Attribute>` anywhere) must exist. */
function checkAttributes(
  ext: ResolvedExtensions,
  kind: StackKind,
  block: RawExtension,
  spec: (type: string) => SpecResource | undefined,
  report: Report,
): void {
  const check = (at: PropertyKey[], targetKind: StackKind, id: string, attribute: string) => {
    const target = ext.stacks[targetKind]?.resources[id];
    if (!target) return; // a missing resource is named when the stacks are built, with what exists
    const resource = spec(target.Type);
    if (!resource || attribute === 'Ref') return;
    const names = Object.keys(resource.attributes);
    if (!names.includes(attribute)) {
      const guess = closest(attribute, names);
      report(at, `${target.Type} ${id} has no attribute "${attribute}"; ${guess ? `did you mean "${guess}"? ` : ''}its attributes are ${names.join(', ') || '(none)'}${targetKind === kind ? '' : ' (or "ref")'}`);
    }
  };
  const walk = (node: unknown, at: PropertyKey[]): void => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, [...at, i]));
    else if (isObject(node)) {
      const ref = REF_KEY in node ? parseRef(node[REF_KEY]) : undefined;
      if (ref && typeof ref !== 'string' && ref.form === 'raw') check([...at, REF_KEY], ref.kind, ref.logicalId, cfnAttribute(ref.attribute));
      const getAtt = node['Fn::GetAtt'];
      const [id, attribute] = Array.isArray(getAtt) ? getAtt : typeof getAtt === 'string' ? getAtt.split(/\.(.*)/) : [];
      if (typeof id === 'string' && typeof attribute === 'string') check([...at, 'Fn::GetAtt'], kind, id, attribute);
      for (const [k, v] of Object.entries(node)) walk(v, [...at, k]);
    }
  };
  for (const [id, resource] of Object.entries(block.resources)) walk(resource.Properties, ['resources', id, 'Properties']);
  for (const [id, output] of Object.entries(block.outputs)) walk(output.Value, ['outputs', id, 'Value']);
}
