import { Spec3Error } from '../errors.js';
import type { AwsClients } from './clients.js';
import { awsErrorName, describeAwsError } from './errors.js';

/** What destroy needs to know about a table it would delete. */
export interface TableState {
  /** False when the table is already gone. */
  readonly exists: boolean;
  readonly deletionProtection: boolean;
  /** DynamoDB's item count, refreshed about every six hours: cheap, not exact. */
  readonly items?: number;
}

/** One DescribeTable: whether the table exists, its deletion protection and its item count. */
export async function tableState(aws: AwsClients, table: string): Promise<TableState> {
  const { DescribeTableCommand } = await import('@aws-sdk/client-dynamodb');
  try {
    const out = await (await aws.dynamoDb()).send(new DescribeTableCommand({ TableName: table }));
    return {
      exists: true,
      deletionProtection: Boolean(out.Table?.DeletionProtectionEnabled),
      ...(out.Table?.ItemCount !== undefined ? { items: out.Table.ItemCount } : {}),
    };
  } catch (error) {
    if (awsErrorName(error) === 'ResourceNotFoundException') return { exists: false, deletionProtection: false };
    throw new Spec3Error(
      'TABLE_CHECK_FAILED',
      `Could not read table ${table} (DescribeTable): ${describeAwsError(error)}. Nothing was changed.`,
      `Check your permissions (dynamodb:DescribeTable) with \`aws dynamodb describe-table --table-name ${table}\`, then run the destroy again.`,
      { cause: error },
    );
  }
}

/** Turns a table's deletion protection off, so that its stack can delete it. */
export async function liftDeletionProtection(aws: AwsClients, table: string): Promise<void> {
  const { UpdateTableCommand } = await import('@aws-sdk/client-dynamodb');
  try {
    await (await aws.dynamoDb()).send(new UpdateTableCommand({ TableName: table, DeletionProtectionEnabled: false }));
  } catch (error) {
    throw new Spec3Error(
      'TABLE_PROTECTION_NOT_LIFTED',
      `Could not turn off the deletion protection of table ${table}: ${describeAwsError(error)}`,
      `Turn it off with \`aws dynamodb update-table --table-name ${table} --no-deletion-protection-enabled\`, then run the destroy again.`,
      { cause: error },
    );
  }
}
