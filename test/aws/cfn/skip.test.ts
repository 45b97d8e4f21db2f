import { describe, expect, it } from 'vitest';
import { deployReason, ssmParameters } from '../../../src/aws/cfn/skip.js';
import type { DeployedStack } from '../../../src/aws/cfn/stacks.js';

const template = {
  Parameters: {
    TableName: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/spec3/demo/dev/storage/table-name' },
    BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version', Description: 'Version ... [cdk:skip]' },
  },
  Resources: { Fn: { Type: 'AWS::Lambda::Function' } },
};
const deployed: DeployedStack = {
  name: 'demo-dev-compute',
  id: 'arn',
  status: 'UPDATE_COMPLETE',
  terminationProtection: false,
  tags: { stage: 'dev', project: 'demo' },
  parameters: {
    TableName: { value: '/spec3/demo/dev/storage/table-name', resolved: 'demo-dev-table' },
    BootstrapVersion: { value: '/cdk-bootstrap/hnb659fds/version', resolved: '30' },
  },
  outputs: {},
};
const input = { template, tags: { project: 'demo', stage: 'dev' }, terminationProtection: false };
const values = new Map([['/spec3/demo/dev/storage/table-name', 'demo-dev-table']]);

describe('deployReason', () => {
  it('skips a stack with the same template, tags, protection and SSM values', () => {
    expect(ssmParameters(template)).toEqual({ TableName: '/spec3/demo/dev/storage/table-name' });
    expect(deployReason(input, deployed, structuredClone(template), values)).toBeUndefined();
  });

  it('deploys when anything that reaches CloudFormation differs', () => {
    expect(deployReason(input, undefined, undefined, values)).toBe('new stack');
    expect(deployReason(input, { ...deployed, status: 'UPDATE_ROLLBACK_COMPLETE' }, template, values)).toBe('stack is UPDATE_ROLLBACK_COMPLETE');
    expect(deployReason(input, deployed, { ...template, Resources: {} }, values)).toBe('template changed');
    expect(deployReason({ ...input, tags: { project: 'demo', stage: 'dev', team: 'x' } }, deployed, template, values)).toBe('tags changed');
    expect(deployReason({ ...input, terminationProtection: true }, deployed, template, values)).toBe('termination protection changed');
    expect(deployReason(input, deployed, template, new Map([['/spec3/demo/dev/storage/table-name', 'other-table']]))).toBe(
      'parameter /spec3/demo/dev/storage/table-name changed',
    );
  });
});
