import { describe, expect, it } from 'vitest';
import { checkLambdaEnvironments, environmentSize, LAMBDA_ENVIRONMENT_LIMIT } from '../../../src/commands/synth/lambda-environment.js';

/** A compute template with one function whose environment has `SETTINGS` of `size` characters and a table name read from the storage stack. */
function stacks(size: number) {
  const compute = {
    Parameters: { SsmTableName: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/spec3/orders/dev/storage/table-name' } },
    Resources: {
      Api1: {
        Type: 'AWS::Lambda::Function',
        Properties: { FunctionName: 'orders-dev-api', Environment: { Variables: { TABLE_NAME: { Ref: 'SsmTableName' }, SETTINGS: 'x'.repeat(size) } } },
      },
    },
  };
  const storage = {
    Resources: {
      Table1: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders-dev-table' } },
      Out: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/spec3/orders/dev/storage/table-name', Value: { Ref: 'Table1' } } },
    },
  };
  return [
    { name: 'orders-dev-compute', account: '123456789012', region: 'us-east-1', template: compute },
    { name: 'orders-dev-storage', account: '123456789012', region: 'us-east-1', template: storage },
  ];
}

const check = (size: number) =>
  checkLambdaEnvironments(stacks(size), [{ name: 'worker' }, { name: 'api' }], (fn) => `orders-dev-${fn}`, 'spec3.config.json');

describe('Lambda environment size', () => {
  it('counts what Lambda measures: the variables as one JSON object', () => {
    expect(environmentSize({ A: 'b' })).toBe('{"A":"b"}'.length);
    expect(environmentSize({ K: 'é' })).toBe(10); // UTF-8 bytes, not characters
  });

  // {"TABLE_NAME":"orders-dev-table","SETTINGS":"xxx…"}: 43 bytes around the SETTINGS value.
  const overhead = environmentSize({ TABLE_NAME: 'orders-dev-table', SETTINGS: '' });

  it('accepts exactly 4,096 bytes, the value read from the storage stack counted as the table name', () => {
    expect(() => check(LAMBDA_ENVIRONMENT_LIMIT - overhead)).not.toThrow();
  });

  it('refuses one byte more, naming the function, the size, the config field and how much to cut', () => {
    expect(() => check(LAMBDA_ENVIRONMENT_LIMIT - overhead + 1)).toThrow(
      expect.objectContaining({
        code: 'LAMBDA_ENVIRONMENT_TOO_LARGE',
        message:
          'Function orders-dev-api: its environment variables take 4,097 bytes as Lambda counts them (all keys and values as JSON); Lambda allows 4,096 bytes (4 KB) per function.',
        hint: expect.stringContaining('Shorten or remove values of functions[1].environment (api) in spec3.config.json by at least 1 byte;'),
      }),
    );
  });
});
