import { CloudFormationClient, DescribeStacksCommand, ListStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients.js';
import { findRemovedStacks } from '../../src/commands/removed-stacks.js';

const cfn = mockClient(CloudFormationClient);
const aws = new AwsClients({ region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
const tags = (project: string, stage: string) => [
  { Key: 'managed-by', Value: 'spec3' },
  { Key: 'project', Value: project },
  { Key: 'stage', Value: stage },
];

/** ListStacks and DescribeStacks as CloudFormation answers them: the stacks given, a ValidationError for any other name. */
function account(stacks: Record<string, Partial<Stack>>): void {
  // Two pages, as CloudFormation pages a long list: a stack on the second page is found too.
  const summaries = Object.entries(stacks).map(([name, s]) => ({ StackName: name, StackStatus: s.StackStatus, CreationTime: new Date() }));
  cfn
    .on(ListStacksCommand)
    .callsFake((input: { NextToken?: string }) =>
      input.NextToken === 'page-2' ? { StackSummaries: summaries.slice(1) } : { StackSummaries: summaries.slice(0, 1), NextToken: 'page-2' },
    );
  cfn.on(DescribeStacksCommand).callsFake((input: { StackName?: string }) => {
    const s = stacks[input.StackName ?? ''];
    if (!s) throw Object.assign(new Error(`Stack with id ${input.StackName} does not exist`), { name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    return { Stacks: [{ StackName: input.StackName, StackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${input.StackName}/1`, CreationTime: new Date(), ...s }] };
  });
}

afterEach(() => cfn.reset());

describe('findRemovedStacks', () => {
  it('names the deployed stacks of the stage the config no longer has, spec3 tags and all', async () => {
    account({
      'orders-dev-network': { StackStatus: 'CREATE_COMPLETE', Tags: tags('orders', 'dev') },
      'orders-dev-api': { StackStatus: 'UPDATE_COMPLETE', Tags: tags('orders', 'dev') },
      'orders-dev-service': { StackStatus: 'UPDATE_ROLLBACK_COMPLETE', Tags: tags('orders', 'dev') },
    });
    const kept = new Set(['orders-dev-network', 'orders-dev-compute']);
    const found = await findRemovedStacks(aws, { project: 'orders', stage: 'dev' }, kept);
    expect([...found].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'orders-dev-api', phase: 'app', status: 'UPDATE_COMPLETE' },
      { name: 'orders-dev-service', phase: 'app', status: 'UPDATE_ROLLBACK_COMPLETE' },
    ]);
  });

  it('never counts a stack spec3 did not make for this stage: other tags, no tags, or deleted', async () => {
    account({
      // Same name, made by another tool or for another project whose name shares the prefix.
      'orders-dev-api': { StackStatus: 'CREATE_COMPLETE', Tags: [{ Key: 'team', Value: 'web' }] },
      'orders-dev-service': { StackStatus: 'CREATE_COMPLETE', Tags: tags('orders-dev', 'service') },
      'orders-dev-edge': { StackStatus: 'DELETE_COMPLETE', Tags: tags('orders', 'dev') },
    });
    expect(await findRemovedStacks(aws, { project: 'orders', stage: 'dev' }, new Set())).toEqual([]);
  });
});
