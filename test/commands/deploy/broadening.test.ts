import { describe, expect, it } from 'vitest';
import type { AssemblyStack } from '../../../src/aws/assembly.js';
import { findBroadening } from '../../../src/commands/deploy/broadening.js';
import type { PreparedStack } from '../../../src/commands/deploy/prepare.js';

const stack = (name: string): AssemblyStack => ({
  name,
  phase: 'foundation',
  account: '123456789012',
  region: 'eu-west-1',
  templateFile: `/nonexistent/${name}.template.json`,
  tags: {},
  terminationProtection: false,
  dependsOn: [],
  assetManifests: [],
  requiresBootstrapVersion: 6,
});

const prepared = (name: string, template: object, deployedTemplate?: object): PreparedStack => ({
  stack: stack(name),
  template,
  body: JSON.stringify(template),
  inline: true,
  deployed: undefined,
  deployedTemplate,
  reason: 'new stack',
});

/** A bucket and the TLS-only policy CDK's `enforceSSL` writes: Deny s3:* to everyone unless the request uses TLS. */
const storage = {
  Resources: {
    DataBucketE3889A50: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'orders-dev-data' } },
    DataBucketPolicy3231C704: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'DataBucketE3889A50' },
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Resource: [{ 'Fn::GetAtt': ['DataBucketE3889A50', 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['DataBucketE3889A50', 'Arn'] }, '/*']] }],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      },
    },
    Outbucketarn: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/spec3/orders/dev/storage/bucket-arn', Type: 'String', Value: { 'Fn::GetAtt': ['DataBucketE3889A50', 'Arn'] } } },
  },
};

/** A function role reading the bucket through the SSM parameter the storage stack publishes, granted twice. */
const readStatement = {
  Effect: 'Allow',
  Action: 's3:GetObject',
  Resource: { 'Fn::Join': ['', [{ Ref: 'SsmParameterValuebucketarnParameter' }, '/*']] },
};
const compute = {
  Parameters: { SsmParameterValuebucketarnParameter: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/spec3/orders/dev/storage/bucket-arn' } },
  Resources: {
    ApiRole1873F438: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      },
    },
    ApiRolePolicyA: {
      Type: 'AWS::IAM::Policy',
      Properties: { PolicyName: 'a', Roles: [{ Ref: 'ApiRole1873F438' }], PolicyDocument: { Version: '2012-10-17', Statement: [readStatement] } },
    },
    ApiRolePolicyB: {
      Type: 'AWS::IAM::Policy',
      Properties: { PolicyName: 'b', Roles: [{ Ref: 'ApiRole1873F438' }], PolicyDocument: { Version: '2012-10-17', Statement: [readStatement] } },
    },
  },
};

describe('findBroadening', () => {
  it('a TLS-only Deny is no widening: a stack that only adds it needs no approval', async () => {
    expect(await findBroadening([prepared('orders-dev-storage', storage)], [stack('orders-dev-storage')])).toEqual([]);
  });

  it('lists what widens with the names of what the tokens stand for, each row once, and leaves the Deny out', async () => {
    const stacks = [prepared('orders-dev-storage', storage), prepared('orders-dev-compute', compute)];
    const found = await findBroadening(stacks, stacks.map((s) => s.stack));
    expect(found.map((b) => b.stack)).toEqual(['orders-dev-compute']);
    const [b] = found;
    expect(b!.iam).toEqual([
      // The role's name comes from the stack and the construct; the bucket from the stack that publishes its ARN.
      ['+', 'orders-dev-compute/ApiRole', 'Allow', 'sts:AssumeRole', 'Service:lambda.amazonaws.com', ''],
      ['+', 'orders-dev-data/*', 'Allow', 's3:GetObject', 'AWS:orders-dev-compute/ApiRole', ''],
    ]);
    expect(b!.text).toContain('IAM Statement Changes');
    expect(b!.text).toMatch(/│ \+ │ orders-dev-data\/\* +│ Allow +│ s3:GetObject/);
    expect(b!.text).not.toContain('${');
    expect(b!.text).not.toContain('Deny');
    expect(b!.text).not.toContain('\u001b[');
  });

  it('a stack that adds an Allow beside the TLS-only Deny lists the Allow alone', async () => {
    const policy = storage.Resources.DataBucketPolicy3231C704;
    const statements = policy.Properties.PolicyDocument.Statement;
    const logging = { Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['DataBucketE3889A50', 'Arn'] }, '/logs/*']] } };
    const withLogging = {
      Resources: { ...storage.Resources, DataBucketPolicy3231C704: { ...policy, Properties: { ...policy.Properties, PolicyDocument: { ...policy.Properties.PolicyDocument, Statement: [...statements, logging] } } } },
    };
    const found = await findBroadening([prepared('orders-dev-storage', withLogging)], [stack('orders-dev-storage')]);
    expect(found.map((b) => b.iam)).toEqual([[['+', 'orders-dev-data/logs/*', 'Allow', 's3:PutObject', 'Service:logging.s3.amazonaws.com', '']]]);
    expect(found[0]!.text).not.toContain('Deny');
  });

  it('a Deny removed from a deployed stack is a widening, shown as the removal of a Deny', async () => {
    const withoutPolicy = { Resources: { DataBucketE3889A50: storage.Resources.DataBucketE3889A50 } };
    const found = await findBroadening([prepared('orders-dev-storage', withoutPolicy, storage)], [stack('orders-dev-storage')]);
    expect(found).toHaveLength(1);
    expect(found[0]!.iam).toEqual([
      ['-', 'orders-dev-data\norders-dev-data/*', 'Deny', 's3:*', 'AWS:*', '"Bool": {\n  "aws:SecureTransport": "false"\n}'],
    ]);
  });
});
