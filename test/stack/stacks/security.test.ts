import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { onlyResource, useStages } from '../build.js';

const built = useStages(['dev', 'prod'] as const);

describe('security stack', () => {
  it('creates one KMS key with yearly rotation and a 7-day deletion window', () => {
    const template = built.dev.template('security');
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      PendingWindowInDays: 7,
      Description: 'Encrypts orders-dev data at rest',
    });
  });

  it('names the key with the alias alias/<project>-<stage>', () => {
    for (const name of ['dev', 'prod'] as const) {
      const template = built[name].template('security');
      const key = onlyResource(template, 'AWS::KMS::Key');
      const alias = onlyResource(template, 'AWS::KMS::Alias');
      expect(alias.Properties).toEqual({ AliasName: `alias/orders-${name}`, TargetKeyId: { 'Fn::GetAtt': [key.id, 'Arn'] } });
    }
  });

  it('lets CloudWatch alarms use the key (they publish to the encrypted alert topic)', () => {
    const key = onlyResource(built.dev.template('security'), 'AWS::KMS::Key');
    const statements = key.Properties!.KeyPolicy.Statement as { Sid?: string }[];
    expect(statements.find((s) => s.Sid === 'AllowCloudWatchAlarmsToUseTheKey')).toEqual({
      Sid: 'AllowCloudWatchAlarmsToUseTheKey',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
    });
    // The only other statement is the account-root default that lets IAM policies grant the key.
    expect(statements).toHaveLength(2);
  });

  it('creates the function base managed policy with exactly the X-Ray actions', () => {
    const policy = onlyResource(built.dev.template('security'), 'AWS::IAM::ManagedPolicy');
    expect(policy.Properties!.ManagedPolicyName).toBe('orders-dev-function-base');
    expect(policy.Properties!.PolicyDocument.Statement).toEqual([
      { Sid: 'XRayTraces', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
    ]);
  });

  it('deletes the key with dev and retains it in prod', () => {
    built.dev.template('security').hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    built.prod.template('security').hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('publishes the key ARN and the policy ARN through SSM', () => {
    const template = built.prod.template('security');
    const key = onlyResource(template, 'AWS::KMS::Key');
    const policy = onlyResource(template, 'AWS::IAM::ManagedPolicy');
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/spec3/orders/prod/security/key-arn',
      Type: 'String',
      Value: { 'Fn::GetAtt': [key.id, 'Arn'] },
    });
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/spec3/orders/prod/security/function-base-policy-arn',
      Value: { Ref: policy.id },
    });
    template.resourcePropertiesCountIs('AWS::SSM::Parameter', { Name: Match.stringLikeRegexp('^/spec3/') }, 2);
  });
});
