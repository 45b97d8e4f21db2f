import { DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import type { AwsClients } from '../clients.js';
import { isStackMissing } from '../errors.js';

/** A deployed stack as the engine needs it. */
export interface DeployedStack {
  readonly name: string;
  readonly id: string;
  readonly status: string;
  readonly reason?: string;
  readonly lastUpdated?: Date;
  readonly terminationProtection: boolean;
  readonly tags: Readonly<Record<string, string>>;
  /** Parameter key -> the value CloudFormation used (`ResolvedValue` for SSM-typed parameters). */
  readonly parameters: Readonly<Record<string, { value?: string; resolved?: string }>>;
  readonly outputs: Readonly<Record<string, string>>;
  readonly driftStatus?: string;
}

/** The stack, or undefined when CloudFormation has none of that name (deleted stacks are gone too). */
export async function describeStack(aws: AwsClients, name: string): Promise<DeployedStack | undefined> {
  let stack: Stack | undefined;
  try {
    const out = await aws.cloudFormation().send(new DescribeStacksCommand({ StackName: name }));
    stack = out.Stacks?.[0];
  } catch (error) {
    if (isStackMissing(error)) return undefined;
    throw error;
  }
  if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return undefined;
  return toDeployed(stack);
}

export function toDeployed(stack: Stack): DeployedStack {
  return {
    name: stack.StackName ?? '',
    id: stack.StackId ?? '',
    status: stack.StackStatus ?? 'UNKNOWN',
    ...(stack.StackStatusReason ? { reason: stack.StackStatusReason } : {}),
    ...(stack.LastUpdatedTime || stack.CreationTime ? { lastUpdated: stack.LastUpdatedTime ?? stack.CreationTime } : {}),
    terminationProtection: Boolean(stack.EnableTerminationProtection),
    tags: Object.fromEntries((stack.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    parameters: Object.fromEntries(
      (stack.Parameters ?? []).map((p) => [
        p.ParameterKey ?? '',
        { ...(p.ParameterValue !== undefined ? { value: p.ParameterValue } : {}), ...(p.ResolvedValue !== undefined ? { resolved: p.ResolvedValue } : {}) },
      ]),
    ),
    outputs: Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? ''])),
    ...(stack.DriftInformation?.StackDriftStatus ? { driftStatus: stack.DriftInformation.StackDriftStatus } : {}),
  };
}

export const isInProgress = (status: string): boolean => status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';

/** States from which an update can start. */
export const isUpdatable = (status: string): boolean =>
  ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE'].includes(status);

/** A create that never completed: the stack holds nothing worth keeping and must be replaced. */
export const isFailedCreate = (status: string): boolean =>
  status === 'ROLLBACK_COMPLETE' || status === 'ROLLBACK_FAILED' || status === 'REVIEW_IN_PROGRESS' || status === 'CREATE_FAILED';

/** States only a person can get a stack out of. */
export const isStuck = (status: string): boolean => status === 'UPDATE_ROLLBACK_FAILED' || status === 'DELETE_FAILED';

/** A stack whose resources are in place (what a later phase may rely on). */
export const isDeployed = (status: string): boolean => isUpdatable(status);
