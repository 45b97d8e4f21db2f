import { readFileSync } from 'node:fs';
import path from 'node:path';
import { aws_dynamodb as dynamodb, aws_sqs as sqs, CfnElement, type Stack } from 'aws-cdk-lib';
import type { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { describe, expect, it } from 'vitest';
import type { Spec3ConfigInput } from '../../../src/config/schema.js';
import { spec3ErrorOf as rejection } from '../../helpers/errors.js';
import { parameterName } from '../../../src/stack/naming.js';
import type { StackKind } from '../../../src/stack/phases.js';
import { FUNCTION_REFS, HANDLE_ALIASES, SPEC3_REFS } from '../../../src/stack/raw/refs.js';
import { sampleConfig } from '../../helpers/project.js';
import { resourcesOf, ssmRef, useFreshStages, useStages, type BuiltStage } from '../build.js';
import { expectNoLintErrors } from '../lint.js';
import { fullExample, nagFindings } from '../nag.js';
import { rawConfig, rawExtensions } from './config.js';

type Loose = Record<string, any>;

const queueTagging = (refs: readonly string[]) => ({
  Type: 'AWS::SQS::Queue',
  Properties: { SqsManagedSseEnabled: true, Tags: refs.map((ref, i) => ({ Key: `ref${i}`, Value: { 'spec3:ref': ref } })) },
});

const raw = (built: BuiltStage, kind: StackKind, id: string): Loose => (built.template(kind).toJSON() as Loose).Resources[id];

/** The resolved form of a token in its own stack. */
const resolved = (stack: Stack, token: string | undefined) => stack.resolve(token);

describe('every reference of the table resolves, in its own stack and from a later one', () => {
  // The full example has every stack kind in prod; each kind's references are read back twice:
  // from a raw queue in the integrations stack (the last phase) and from one in the kind's own stack.
  const kinds = Object.keys(SPEC3_REFS) as StackKind[];
  const refs = (kind: StackKind): string[] =>
    kind === 'compute'
      ? ['api', 'analysis'].flatMap((fn) => Object.keys(FUNCTION_REFS).map((a) => `compute.functions.${fn}.${a}`))
      : Object.entries(SPEC3_REFS[kind]).flatMap(([handle, attrs]) => Object.keys(attrs).map((a) => `${kind}.${handle}.${a}`));
  const withRefs = (): Spec3ConfigInput => {
    const full = fullExample();
    const extensions: Loose = { integrations: { resources: {} } };
    for (const kind of kinds) {
      if (refs(kind).length === 0) continue;
      extensions.integrations.resources[`Reads${kind}`] = queueTagging(refs(kind));
      extensions[kind] = { ...extensions[kind], resources: { ...extensions[kind]?.resources, [`Own${kind}`]: queueTagging(refs(kind)) } };
    }
    return { ...full, extensions } as Spec3ConfigInput;
  };
  const built = useStages(['prod'], withRefs);

  it.each(kinds.filter((k) => refs(k).length > 0))('%s', (kind) => {
    const b = built.prod;
    const producer = b.stack(kind);
    const scope = { project: b.stage.project, stage: 'prod' };
    const own = raw(b, kind, `Own${kind}`).Properties.Tags as { Key: string; Value: unknown }[];
    const later = raw(b, 'integrations', `Reads${kind}`).Properties.Tags as { Key: string; Value: unknown }[];
    const published = resourcesOf(b.template(kind), 'AWS::SSM::Parameter');
    refs(kind).forEach((ref, i) => {
      const [, handle, ...rest] = ref.split('.');
      const attribute = rest.at(-1)!;
      const value =
        kind === 'compute'
          ? FUNCTION_REFS[attribute]!.of(producer.handles as never, rest[0]!)
          : (SPEC3_REFS[kind] as Loose)[handle!][attribute].of(producer.handles);
      expect(value, ref).toBeDefined();
      // In its own stack: the construct's own token.
      expect(own.find((t) => t.Key === `ref${i}`)!.Value, ref).toEqual(resolved(producer, value));
      // From the integrations stack: an SSM-typed parameter reading what the producer publishes, once.
      const tag = later.find((t) => t.Key === `ref${i}`)!.Value as { Ref: string };
      const parameter = (b.template('integrations').toJSON() as Loose).Parameters[tag.Ref];
      expect(parameter.Type, ref).toBe('AWS::SSM::Parameter::Value<String>');
      expect(parameter.Default, ref).toMatch(new RegExp(`^${parameterName(scope, kind, '')}`));
      const writers = Object.values(published).filter((p) => p.Properties?.Name === parameter.Default);
      expect(writers, ref).toHaveLength(1);
      expect(writers[0]!.Properties!.Value, ref).toEqual(resolved(producer, value));
      // A value spec3 publishes already is read under its key, not published a second time.
      const sameValue = Object.values(published).filter((p) => JSON.stringify(p.Properties?.Value) === JSON.stringify(resolved(producer, value)));
      expect(sameValue, ref).toHaveLength(1);
    });
  });

  it('are all in the README table, with their attributes', () => {
    const readme = readFileSync(path.join(import.meta.dirname, '../../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Raw CloudFormation in spec3.config.json'), readme.indexOf('## The local AWS'));
    const rows = section.split('\n').filter((l) => l.startsWith('| `'));
    for (const kind of kinds) {
      for (const [handle, attrs] of Object.entries(SPEC3_REFS[kind])) {
        const row = rows.find((r) => r.includes(`\`${kind}.${handle}.`));
        expect(row, `${kind}.${handle}`).toBeDefined();
        for (const attribute of Object.keys(attrs)) expect(row!.includes(`.${attribute}\``) || row!.includes(`\`${attribute}\``), `${kind}.${handle}.${attribute}`).toBe(true);
      }
    }
    const fnRow = rows.find((r) => r.includes('`compute.functions.<name>.'))!;
    for (const attribute of Object.keys(FUNCTION_REFS)) expect(fnRow, attribute).toContain(`.${attribute}\``);
  });

  it('knows the short names of handles', () => {
    expect(HANDLE_ALIASES.messaging).toEqual({ queue: 'workQueue', topic: 'alertTopic' });
  });
});

describe('raw resources in the stacks of a stage', () => {
  const built = useStages(['dev', 'prod'], rawConfig);

  it('are typed CloudFormation elements in their stack, so the policy checks see a raw table as a table', () => {
    const include = built.dev.stack('storage').node.findChild('RawCloudFormation') as CfnInclude;
    expect(include.getResource('AuditTable')).toBeInstanceOf(dynamodb.CfnTable);
    expect((built.dev.stack('messaging').node.findChild('RawCloudFormation') as CfnInclude).getResource('EventsQueue')).toBeInstanceOf(sqs.CfnQueue);
    const table = raw(built.dev, 'storage', 'AuditTable');
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    // Tagged like every spec3 resource.
    expect(table.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'managed-by', Value: 'spec3' }, { Key: 'stage', Value: 'dev' }]));
    expect((built.dev.template('storage').toJSON() as Loose).Outputs.AuditTableName).toEqual({ Description: 'Name of the audit table', Value: { Ref: 'AuditTable' } });
  });

  it('read a value of another stack of the phase through SSM, published once, with a stack dependency', () => {
    const b = built.dev;
    const name = parameterName({ project: 'orders', stage: 'dev' }, 'storage', 'ext-AuditTable-Arn');
    const tags = raw(b, 'messaging', 'EventsQueue').Properties.Tags as { Key: string; Value: unknown }[];
    expect(tags.find((t) => t.Key === 'audit-table')!.Value).toEqual(ssmRef(b.template('messaging'), name));
    const writer = Object.values(resourcesOf(b.template('storage'), 'AWS::SSM::Parameter')).filter((p) => p.Properties?.Name === name);
    expect(writer.map((p) => p.Properties!.Value)).toEqual([{ 'Fn::GetAtt': ['AuditTable', 'Arn'] }]);
    expect(b.stack('messaging').dependencies.map((s) => s.stackName)).toContain('orders-dev-storage');
    // Inside its own stack a reference is the construct's token, not a parameter.
    expect(raw(b, 'storage', 'AuditTable').Properties.SSESpecification.KMSMasterKeyId).toEqual(ssmRef(b.template('storage'), parameterName({ project: 'orders', stage: 'dev' }, 'security', 'key-arn')));
  });

  it('retain data resources without a DeletionPolicy in a protected stage, and leave the rest as written', () => {
    expect(raw(built.prod, 'storage', 'AuditTable')).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(raw(built.prod, 'messaging', 'EventsQueue').DeletionPolicy).toBeUndefined();
    expect(raw(built.dev, 'storage', 'AuditTable').DeletionPolicy).toBeUndefined();
  });

  it('pass cfn-lint in every stage', async () => {
    await expectNoLintErrors([...built.dev.templates(), ...built.prod.templates()]);
  });
});

describe('raw resources and the policy checks', () => {
  const fresh = useFreshStages();

  it('a raw table without point-in-time recovery is a cdk-nag finding; a suppression in its Metadata acknowledges it', () => {
    const config = (metadata?: Loose) => {
      const ext = rawExtensions() as Loose;
      delete ext.storage.resources.AuditTable.Properties.PointInTimeRecoverySpecification;
      if (metadata) ext.storage.resources.AuditTable.Metadata = metadata;
      return sampleConfig({ extensions: ext } as Spec3ConfigInput);
    };
    const findings = nagFindings(fresh('dev', config())).filter((f) => f.rule === 'AwsSolutions-DDB3');
    expect(findings.flatMap((f) => f.paths)).toEqual(['orders-dev-storage/RawCloudFormation/AuditTable']);
    const acknowledged = nagFindings(fresh('dev', config({ cdk_nag: { rules_to_suppress: [{ id: 'AwsSolutions-DDB3', reason: 'Audit records are copied nightly.' }] } })));
    expect(acknowledged.filter((f) => f.rule === 'AwsSolutions-DDB3')).toEqual([]);
  });
});

describe('bad raw CloudFormation is a named error at synth', () => {
  const fresh = useFreshStages();
  const withExt = (extensions: Loose, overrides: Partial<Spec3ConfigInput> = {}) => sampleConfig({ ...overrides, extensions } as Spec3ConfigInput);

  it('a reference to a later phase: PHASE_ORDER naming the field', () => {
    const error = rejection(() => fresh('dev', withExt({ storage: { resources: { Q: queueTagging(['compute.functions.api.arn']) } } })));
    expect(error.code).toBe('PHASE_ORDER');
    expect(error.message).toBe(
      'spec3.config.json: extensions.storage.resources.Q.Properties.Tags[0].Value: "compute.functions.api.arn" is in orders-dev-compute (phase app), a later phase than orders-dev-storage (phase foundation); a stack may only use stacks of its own or an earlier phase.',
    );
    expect(error.hint).toContain('phase app or later');
  });

  it('a reference to a spec3 resource that does not exist: the references the stack offers', () => {
    const error = rejection(() => fresh('dev', withExt({ compute: { resources: { Q: queueTagging(['storage.tabel.arn']) } } })));
    expect(error.code).toBe('EXTENSION_REF_MISSING');
    expect(error.message).toBe(
      'spec3.config.json: extensions.compute.resources.Q.Properties.Tags[0].Value: "storage.tabel.arn" is no spec3 resource of stage dev; the storage stack offers storage.table.arn, storage.table.name, storage.bucket.arn, storage.bucket.name, storage.accessLogsBucket.arn, storage.accessLogsBucket.name.',
    );
    expect(rejection(() => fresh('dev', withExt({ compute: { resources: { Q: queueTagging(['compute.functions.nope.arn']) } } }))).message).toContain(
      'the compute stack offers compute.functions.api.arn, compute.functions.api.name, compute.functions.api.roleArn, compute.functions.log-processor.arn',
    );
    expect(rejection(() => fresh('dev', withExt({ compute: { resources: { Q: queueTagging(['storage.ext.Missing.arn']) } } }))).message).toBe(
      'spec3.config.json: extensions.compute.resources.Q.Properties.Tags[0].Value: "storage.ext.Missing.arn": extensions.storage.resources has no resource "Missing" in stage dev.',
    );
    expect(rejection(() => fresh('dev', withExt({ compute: { resources: { Q: queueTagging(['stroage.table.arn']) } } }))).code).toBe('EXTENSION_REF_INVALID');
  });

  it('a kind the stage does not have', () => {
    const error = rejection(() => fresh('dev', withExt({ network: { resources: { Q: queueTagging([]) } } }, { features: { vpc: false, api: { type: 'rest' } } })));
    expect(error.code).toBe('EXTENSION_STACK_MISSING');
    expect(error.message).toBe(
      'spec3.config.json: extensions.network: stage dev has no network stack, so its raw resources have nowhere to go; the stage\'s stacks are security, storage, messaging, compute, api, monitoring, integrations.',
    );
  });

  it("a logical id that is spec3's own in that stack", () => {
    const probe = fresh('dev');
    const tableId = probe.stack('storage').resolve((probe.stack('storage').handles as Loose).table.node.defaultChild.logicalId) as string;
    const error = rejection(() => fresh('dev', withExt({ storage: { resources: { [tableId]: queueTagging([]) } } })));
    expect(error.code).toBe('EXTENSION_LOGICAL_ID_CLASH');
    expect(error.message).toBe(`spec3.config.json: extensions.storage.resources.${tableId}: "${tableId}" is already a logical id of spec3's own orders-dev-storage template.`);
    expect(probe.stack('storage').node.findAll().some((c) => CfnElement.isCfnElement(c) && probe.stack('storage').resolve(c.logicalId) === tableId)).toBe(true);
  });

  it('a plain Ref or DependsOn naming something the block does not have', () => {
    const error = rejection(() => fresh('dev', withExt({ storage: { resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } } } } } })));
    expect(error.code).toBe('EXTENSION_REF_MISSING');
    expect(error.message).toBe('spec3.config.json: extensions.storage.resources.Q.Properties.RedrivePolicy.deadLetterTargetArn.Fn::GetAtt: "Dlq" is not a resource of extensions.storage.resources (Q).');
    expect(error.hint).toContain('"spec3:ref"');
    expect(rejection(() => fresh('dev', withExt({ storage: { resources: { Q: { Type: 'AWS::SQS::Queue', DependsOn: ['Table'] } } } }))).message).toContain('extensions.storage.resources.Q.DependsOn: "Table" is not a resource');
  });

  it('two stacks of one phase that would read each other', () => {
    // The storage stack reads the key from security; a security resource reading the table closes the loop.
    const error = rejection(() => fresh('dev', withExt({ security: { resources: { Q: queueTagging(['storage.table.arn']) } } })));
    expect(error.code).toBe('EXTENSION_REF_CYCLE');
    expect(error.message).toContain('spec3.config.json: extensions.security.resources.Q.Properties.Tags[0].Value: "storage.table.arn" would make orders-dev-security and orders-dev-storage read from each other');
  });
});
