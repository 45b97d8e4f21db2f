import { describe, expect, it } from 'vitest';
import { checkRawExtensions } from '../../src/config/extension-check.js';
import { deepMerge, extensionField } from '../../src/config/extensions.js';
import { parseConfig } from '../../src/config/load.js';
import { resolveStage } from '../../src/config/resolve.js';
import type { Spec3ConfigInput } from '../../src/config/schema.js';
import { spec3ErrorOf as rejection, spec3RejectionOf as rejectionOf } from '../helpers/errors.js';
import { sampleConfig } from '../helpers/project.js';

type Loose = Record<string, any>;

const table = (properties: Loose = {}) => ({
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    ...properties,
  },
});

/** The sample config with `extensions` and stage layers. */
function configWith(extensions: Loose | undefined, stages: Loose = {}, defaults?: Loose): string {
  const base = sampleConfig();
  const merged: Loose = { ...base.stages };
  for (const [name, layer] of Object.entries(stages)) merged[name] = { ...merged[name], extensions: layer };
  return JSON.stringify({ ...base, stages: merged, ...(extensions ? { extensions } : {}), ...(defaults ? { defaults: { extensions: defaults } } : {}) } as Spec3ConfigInput);
}

describe('extensions in spec3.config.json', () => {
  it('refuses an unknown stack kind, naming the field and the kind meant', () => {
    const error = rejection(() => parseConfig(configWith({ storge: { resources: { AuditTable: table() } } })));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe('spec3.config.json: extensions.storge: unknown field; did you mean "storage"?');
  });

  it('refuses a Condition (stages decide what exists) and lists the fields a resource takes', () => {
    const error = rejection(() => parseConfig(configWith({ storage: { resources: { AuditTable: { ...table(), Condition: 'IsProd' } } } })));
    expect(error.message).toContain('spec3.config.json: extensions.storage.resources.AuditTable.Condition: unknown field; allowed here: Type, Properties, DependsOn, DeletionPolicy, UpdateReplacePolicy, Metadata');
  });

  it('refuses a logical id CloudFormation would refuse, and an unknown deletion policy', () => {
    expect(rejection(() => parseConfig(configWith({ storage: { resources: { 'audit-table': table() } } }))).message).toContain(
      'extensions.storage.resources.audit-table: invalid name; expected a CloudFormation logical id',
    );
    expect(rejection(() => parseConfig(configWith({ storage: { resources: { AuditTable: { ...table(), DeletionPolicy: 'Keep' } } } }))).message).toContain(
      'extensions.storage.resources.AuditTable.DeletionPolicy: expected one of Delete, Retain, RetainExceptOnCreate, Snapshot',
    );
  });

  it('layers stage values over the base: objects merge, lists replace, null removes, a stage may add a resource', () => {
    const config = parseConfig(
      configWith(
        { storage: { resources: { AuditTable: table({ Tags: [{ Key: 'a', Value: '1' }], TableClass: 'STANDARD' }) } } },
        {
          prod: {
            storage: {
              resources: {
                AuditTable: { Properties: { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, Tags: [{ Key: 'b', Value: '2' }], TableClass: null }, DeletionPolicy: 'Snapshot' },
                ProdOnly: { Type: 'AWS::SQS::Queue' },
              },
            },
          },
        },
        { storage: { resources: { AuditTable: { Properties: { BillingMode: 'PROVISIONED' } } } } },
      ),
    );
    const prod = resolveStage(config, 'prod').extensions.stacks.storage!;
    expect(prod.resources.AuditTable).toEqual({
      ...table({ Tags: [{ Key: 'b', Value: '2' }], PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      Properties: { ...table().Properties, BillingMode: 'PROVISIONED', Tags: [{ Key: 'b', Value: '2' }], PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
      DeletionPolicy: 'Snapshot',
    });
    expect(prod.resources.ProdOnly).toEqual({ Type: 'AWS::SQS::Queue' });
    const dev = resolveStage(config, 'dev').extensions.stacks.storage!;
    expect(Object.keys(dev.resources)).toEqual(['AuditTable']);
    expect(dev.resources.AuditTable!.Properties).toMatchObject({ BillingMode: 'PROVISIONED', TableClass: 'STANDARD', Tags: [{ Key: 'a', Value: '1' }] });
  });

  it('names the layer a value was written in', () => {
    const config = parseConfig(configWith({ storage: { resources: { AuditTable: table() } } }, { prod: { storage: { resources: { AuditTable: { Properties: { BillingMode: 'PROVISIONED' } } } } } }));
    const prod = resolveStage(config, 'prod').extensions;
    expect(extensionField(prod, 'storage', ['resources', 'AuditTable', 'Properties', 'BillingMode'])).toBe('stages.prod.extensions.storage.resources.AuditTable.Properties.BillingMode');
    expect(extensionField(prod, 'storage', ['resources', 'AuditTable', 'Properties', 'KeySchema', 0])).toBe('extensions.storage.resources.AuditTable.Properties.KeySchema[0]');
    expect(extensionField(resolveStage(config, 'dev').extensions, 'storage', ['resources', 'AuditTable', 'Properties', 'BillingMode'])).toBe(
      'extensions.storage.resources.AuditTable.Properties.BillingMode',
    );
  });

  it('refuses stage values for a resource the base does not have, unless they give its Type', () => {
    const config = parseConfig(configWith(undefined, { dev: { storage: { resources: { AuditTabel: { Properties: { BillingMode: 'PROVISIONED' } } } } } }));
    const error = rejection(() => resolveStage(config, 'dev'));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('spec3.config.json: stages.dev.extensions.storage.resources.AuditTabel: no "Type" for stage dev');
    expect(error.hint).toContain('give it a "Type"');
  });

  it('merges like the stage settings do, field by field', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3], e: 2 }, d: null })).toEqual({ a: { b: 1, c: [3], e: 2 } });
  });
});

describe('raw CloudFormation is checked against the resource specification', () => {
  const check = (extensions: Loose, stages: Loose = {}, stage = 'dev') => checkRawExtensions(resolveStage(parseConfig(configWith(extensions, stages)), stage).extensions);

  it('accepts valid resources, intrinsic functions and references anywhere a value goes', async () => {
    await check({
      storage: {
        resources: {
          AuditTable: table({
            SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'spec3:ref': 'security.key.arn' } },
            StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
            TableName: { 'Fn::Sub': '${AWS::StackName}-audit' },
          }),
          Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: '30', SqsManagedSseEnabled: true, Tags: [{ Key: 'k', Value: 1 }] } },
        },
        outputs: { Stream: { Value: { 'Fn::GetAtt': ['AuditTable', 'StreamArn'] } } },
      },
      compute: { resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { Tags: [{ Key: 'audit', Value: { 'spec3:ref': 'storage.ext.AuditTable.arn' } }] } } } },
    });
  });

  it('names an unknown property with the property meant, at any depth, and every problem at once', async () => {
    const error = await rejectionOf(
      check({
        storage: {
          resources: {
            AuditTable: table({ BilingMode: 'PAY_PER_REQUEST', SSESpecification: { SSEEnabld: true } }),
            Queue: { Type: 'AWS::SQS::Queue', Properties: { Colour: 'blue' } },
          },
        },
      }),
    );
    expect(error.code).toBe('EXTENSION_INVALID');
    expect(error.message).toContain('spec3.config.json: extensions.storage.resources.AuditTable.Properties.BilingMode: AWS::DynamoDB::Table has no property "BilingMode"; did you mean "BillingMode"?');
    // A nested definition: SSEEnabled is also required there, so its absence is named too.
    expect(error.message).toContain('extensions.storage.resources.AuditTable.Properties.SSESpecification.SSEEnabld: SSESpecification has no property "SSEEnabld"; did you mean "SSEEnabled"?');
    expect(error.message).toContain('extensions.storage.resources.AuditTable.Properties.SSESpecification.SSEEnabled: missing; SSESpecification requires "SSEEnabled"');
    expect(error.message).toMatch(/extensions\.storage\.resources\.Queue\.Properties\.Colour: AWS::SQS::Queue has no property "Colour"; its properties are .*VisibilityTimeout/);
    expect(error.message).toContain('has 4 problems');
  });

  it('names an unknown type with the type meant, a missing required property, and a value of the wrong type', async () => {
    const error = await rejectionOf(
      check({
        messaging: {
          resources: {
            Bus: { Type: 'AWS::Events::EventBuss', Properties: {} },
            Stream: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 'two', RetentionPeriodHours: 24.5 } },
            Machine: { Type: 'AWS::StepFunctions::Activity', Properties: {} },
            Queue: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: 'yes', Tags: { Key: 'a' } } },
          },
        },
      }),
    );
    expect(error.message).toContain('extensions.messaging.resources.Bus.Type: "AWS::Events::EventBuss" is no CloudFormation resource type; did you mean "AWS::Events::EventBus"?');
    expect(error.message).toContain('extensions.messaging.resources.Stream.Properties.ShardCount: expected a whole number; got string "two"');
    expect(error.message).toContain('extensions.messaging.resources.Stream.Properties.RetentionPeriodHours: expected a whole number; got number 24.5');
    expect(error.message).toContain('extensions.messaging.resources.Machine.Properties.Name: missing; AWS::StepFunctions::Activity requires "Name"');
    expect(error.message).toContain('extensions.messaging.resources.Queue.Properties.FifoQueue: expected true or false; got string "yes"');
    expect(error.message).toContain('extensions.messaging.resources.Queue.Properties.Tags: expected a list of objects; got an object');
  });

  it('names an attribute a raw resource does not have, in Fn::GetAtt and in a reference from another stack', async () => {
    const error = await rejectionOf(
      check({
        storage: { resources: { AuditTable: table() }, outputs: { Arn: { Value: { 'Fn::GetAtt': ['AuditTable', 'Arnn'] } } } },
        compute: { resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { Tags: [{ Key: 'a', Value: { 'spec3:ref': 'storage.ext.AuditTable.streamArm' } }] } } } },
      }),
    );
    expect(error.message).toContain('extensions.storage.outputs.Arn.Value.Fn::GetAtt: AWS::DynamoDB::Table AuditTable has no attribute "Arnn"; did you mean "Arn"?');
    expect(error.message).toContain('extensions.compute.resources.Q.Properties.Tags[0].Value.spec3:ref: AWS::DynamoDB::Table AuditTable has no attribute "StreamArm"; did you mean "StreamArn"?');
  });

  it("names the stage's own layer when the bad value was written there", async () => {
    const error = await rejectionOf(check({ storage: { resources: { AuditTable: table() } } }, { prod: { storage: { resources: { AuditTable: { Properties: { BillingMod: 'PROVISIONED' } } } } } }, 'prod'));
    expect(error.message).toBe(
      'spec3.config.json: stages.prod.extensions.storage.resources.AuditTable.Properties.BillingMod: AWS::DynamoDB::Table has no property "BillingMod"; did you mean "BillingMode"?',
    );
    // The same config is fine for a stage without that layer.
    await check({ storage: { resources: { AuditTable: table() } } }, { prod: { storage: { resources: { AuditTable: { Properties: { BillingMod: 'PROVISIONED' } } } } } }, 'dev');
  });
});
