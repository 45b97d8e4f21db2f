import {
  DeleteStackCommand,
  DescribeChangeSetCommand,
  ExecuteChangeSetCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import { AbortError, Spec3Error } from '../../errors.js';
import type { AwsClients } from '../clients.js';
import { AwsCallError, describeAwsError } from '../errors.js';
import { retryPolicy, withRetries, type RetryPolicy } from '../retry.js';
import { createChangeSet, deleteChangeSet, type ChangeSetStep, type ResourceChange, type StackParameter } from './change-set.js';
import { describeStack, isFailedCreate, isInProgress, isStuck, type DeployedStack } from './stacks.js';
import { stuckError } from './stuck.js';
import { waitForStack, type ResourceEvent } from './wait.js';

export interface StackDeployInput {
  readonly name: string;
  readonly templateBody?: string;
  readonly templateUrl?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly terminationProtection: boolean;
  readonly executionRoleArn?: string;
  readonly parameters?: readonly StackParameter[];
}

export interface StackDeployHooks {
  /** The spec3 destroy command for the run's target: the recovery step of a DELETE_FAILED stack. */
  readonly destroyCommand?: string;
  readonly pollMs: number;
  readonly maxPollMs: number;
  readonly signal?: AbortSignal;
  /** Called once the change set is known, before it runs. */
  readonly onChanges?: (changes: readonly ResourceChange[]) => void;
  readonly onEvent?: (event: ResourceEvent) => void;
  /** Called when the engine has to wait for, or replace, the stack first. */
  readonly onNotice?: (message: string) => void;
  /** Called as the change set is created, executed, or deleted unexecuted (a run stopped at once says what it left). */
  readonly onChangeSet?: (id: string, step: ChangeSetStep) => void;
}

export type StackDeployOutcome = {
  readonly action: 'created' | 'updated' | 'no-changes';
  readonly changes: readonly ResourceChange[];
  readonly stack: DeployedStack;
};

/**
 * Deploys one stack through a change set: waits out an operation already running on it, replaces
 * a stack whose creation failed, creates and executes the change set, and waits for the result.
 * A failure throws STACK_FAILED with the reasons taken from the stack's events.
 */
export async function deployStack(
  aws: AwsClients,
  input: StackDeployInput,
  current: DeployedStack | undefined,
  hooks: StackDeployHooks,
): Promise<StackDeployOutcome> {
  const cfn = aws.cloudFormation();
  const poll = { pollMs: hooks.pollMs, maxPollMs: hooks.maxPollMs, ...(hooks.signal ? { signal: hooks.signal } : {}) };
  const policy = retryPolicy(aws, hooks.signal);
  let deployed = current;
  if (deployed && isInProgress(deployed.status)) {
    hooks.onNotice?.(`${input.name} is ${deployed.status}; waiting for it to finish first`);
    deployed = (await call(aws, input.name, 'waiting for the operation already running', 'before', () => waitForStack(aws, input.name, { ...poll, since: new Date() }))).stack;
  }
  if (deployed && isStuck(deployed.status)) throw stuckError(deployed, hooks.destroyCommand);
  if (deployed && isFailedCreate(deployed.status)) {
    // Nothing of a failed create is worth keeping, and CloudFormation cannot update it.
    hooks.onNotice?.(`${input.name} is ${deployed.status} after a failed create; deleting it to create it again`);
    const failed = deployed;
    const gone = await call(aws, input.name, 'DeleteStack', 'before', async () => {
      await withRetries(policy, () => cfn.send(new DeleteStackCommand({ StackName: failed.id })));
      return waitForStack(aws, failed.id, { ...poll, since: new Date() });
    });
    if (gone.stack && gone.stack.status !== 'DELETE_COMPLETE') throw stuckError(gone.stack, hooks.destroyCommand);
    deployed = undefined;
  }

  const changeSet = await call(aws, input.name, 'CreateChangeSet', 'before', () =>
    createChangeSet(
      aws,
      {
        stackName: input.name,
        create: !deployed,
        ...(input.templateUrl ? { templateUrl: input.templateUrl } : { templateBody: input.templateBody }),
        tags: input.tags,
        ...(input.executionRoleArn ? { roleArn: input.executionRoleArn } : {}),
        ...(input.parameters ? { parameters: input.parameters } : {}),
      },
      { ...poll, ...(hooks.onChangeSet ? { onChangeSet: hooks.onChangeSet } : {}) },
    ),
  );
  if (changeSet.kind === 'failed') {
    throw new Spec3Error('CHANGE_SET_FAILED', `${input.name}: CloudFormation rejected the change set: ${changeSet.reason}`);
  }
  if (changeSet.kind === 'empty') {
    const stack = await call(aws, input.name, 'UpdateTerminationProtection', 'before', () =>
      syncTerminationProtection(aws, deployed!, input.terminationProtection, policy),
    );
    return { action: 'no-changes', changes: [], stack };
  }
  hooks.onChanges?.(changeSet.changes);
  if (hooks.signal?.aborted) {
    // Ctrl-C came while the change set was computed: executing it now would start what the user stopped.
    await deleteChangeSet(aws, changeSet.id, input.name).then(
      () => hooks.onChangeSet?.(changeSet.id, 'deleted'),
      () => undefined,
    );
    throw new AbortError();
  }
  await call(aws, input.name, 'ExecuteChangeSet', 'before', () => execute(aws, changeSet.id, input.name, policy));
  hooks.onChangeSet?.(changeSet.id, 'executed');
  // From here on the change set runs in CloudFormation whatever happens to this run.
  const result = await call(aws, input.name, 'waiting for the change set to run', 'ran', () =>
    waitForStack(aws, input.name, { ...poll, since: changeSet.createdAt, ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}) }),
  );
  const final = result.stack;
  const ok = final && (final.status === 'CREATE_COMPLETE' || final.status === 'UPDATE_COMPLETE');
  if (!ok) {
    const reasons = result.failures.length > 0 ? result.failures : [final?.reason ?? 'no reason reported'];
    throw new Spec3Error(
      'STACK_FAILED',
      `${input.name} failed: ${final?.status ?? 'stack is gone'}\n  ${reasons.join('\n  ')}`,
      final?.status === 'ROLLBACK_COMPLETE'
        ? 'Fix the cause above and deploy again; spec3 replaces the rolled-back stack.'
        : 'Fix the cause above and deploy again; the stack was rolled back to its previous state.',
    );
  }
  const stack = await call(aws, input.name, 'UpdateTerminationProtection', 'ran', () =>
    syncTerminationProtection(aws, final, input.terminationProtection, policy),
  );
  return { action: deployed ? 'updated' : 'created', changes: changeSet.changes, stack };
}

/** Change sets do not carry termination protection; it is set on the stack afterwards. */
async function syncTerminationProtection(aws: AwsClients, stack: DeployedStack, wanted: boolean, policy: RetryPolicy): Promise<DeployedStack> {
  if (stack.terminationProtection === wanted) return stack;
  await withRetries(policy, () =>
    aws.cloudFormation().send(new UpdateTerminationProtectionCommand({ StackName: stack.name, EnableTerminationProtection: wanted })),
  );
  return (await withRetries(policy, () => describeStack(aws, stack.name))) ?? stack;
}

/**
 * Runs a change set. When the call fails, the change set itself says whether CloudFormation took
 * it: an answer lost on the way back, then retried by the SDK, fails as "cannot be executed in its
 * current status" although the stack is already being deployed, and that is a success to wait on.
 */
async function execute(aws: AwsClients, changeSetId: string, stackName: string, policy: RetryPolicy): Promise<void> {
  const cfn = aws.cloudFormation();
  try {
    await withRetries(policy, () => cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSetId, StackName: stackName })));
  } catch (error) {
    if (error instanceof AbortError) throw error;
    const status = await withRetries(retryPolicy(aws), () => cfn.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId, StackName: stackName }))).then(
      (out) => out.ExecutionStatus,
      () => undefined,
    );
    if (status && /^EXECUTE_(IN_PROGRESS|COMPLETE|FAILED)$/.test(status)) return;
    throw error;
  }
}

/** A stack's deploy that failed in a call to AWS, with the state CloudFormation reports for the stack afterwards. */
export class StackCallError extends Spec3Error {
  constructor(
    code: string,
    message: string,
    hint: string,
    cause: unknown,
    /** Whether its change set was executed: then CloudFormation goes on with it whatever this run does. */
    readonly changeSetRan: boolean,
  ) {
    super(code, message, hint, { cause });
  }
}

/**
 * A step of a stack's deploy whose AWS calls failed even after the retries, reported with what
 * CloudFormation says the stack's state is now (read again with fresh attempts), so that nobody
 * has to guess what was changed. The code is the AWS error's own (access denied, credentials
 * expired, unreachable ...), its hint first.
 */
async function call<T>(aws: AwsClients, stack: string, step: string, changeSet: 'before' | 'ran', work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Spec3Error && !(error instanceof AwsCallError)) throw error;
    const now = await withRetries(retryPolicy(aws), () => describeStack(aws, stack)).then(
      (s) => ({ stack: s }),
      (e: unknown) => ({ unreadable: describeAwsError(e) }),
    );
    const ran = changeSet === 'ran';
    let state: string;
    if ('unreadable' in now) {
      state = ran
        ? `Its change set was executed, so CloudFormation goes on with it; its state could not be read (${now.unreadable}).`
        : `Its state could not be read either (${now.unreadable}).`;
    } else if (!now.stack) state = `CloudFormation has no stack ${stack}: nothing was created.`;
    else {
      const s = now.stack;
      const what = ran
        ? isInProgress(s.status)
          ? 'its change set was executed and CloudFormation is still working on it; the next deploy waits for it'
          : 'its change set was executed and has ended in that state'
        : s.status === 'REVIEW_IN_PROGRESS'
          ? 'the change set was not executed and none of its resources exist yet'
          : s.status.endsWith('_IN_PROGRESS')
            ? 'an operation is running on it; the next deploy waits for it'
            : 'the change set was not executed, so the stack is as it was';
      state = `CloudFormation reports ${stack} as ${s.status}${s.reason ? ` (${s.reason})` : ''}: ${what}.`;
    }
    const aws$ = error instanceof AwsCallError ? error : undefined;
    const tries = (aws$?.cause as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts;
    throw new StackCallError(
      aws$ && aws$.kind !== 'failed' ? aws$.code : 'STACK_CALL_FAILED',
      `${stack}: ${step} failed: ${describeAwsError(error)}${tries && tries > 1 ? ` (after ${tries} attempts)` : ''}\n  ${state}`,
      [aws$ && aws$.kind !== 'failed' ? aws$.hint : undefined, 'Deploy again once the cause is gone; spec3 takes the stack from the state above.']
        .filter(Boolean)
        .join('\n'),
      error,
      ran,
    );
  }
}
