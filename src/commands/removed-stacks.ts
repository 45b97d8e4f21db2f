import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import type { AwsClients } from '../aws/clients.js';
import { describeStack } from '../aws/cfn/stacks.js';
import { stageStacks, type NameScope } from '../stack/naming.js';
import type { Phase } from '../stack/phases.js';

/** A deployed stack of the stage that the config no longer has (a feature or trigger was removed). */
export interface RemovedStack {
  readonly name: string;
  readonly phase: Phase;
  /** Its CloudFormation status. */
  readonly status: string;
}

/**
 * The stage's deployed stacks that the config no longer has: every stack spec3 can make for the
 * stage (`<project>-<stage>-<kind>`) that is not in `kept`, exists (ListStacks), and carries the tags spec3
 * gives its stacks (`managed-by: spec3` and the project and stage), so a stack of another project
 * whose name happens to share the prefix is never counted.
 */
export async function findRemovedStacks(aws: AwsClients, scope: NameScope, kept: ReadonlySet<string>): Promise<RemovedStack[]> {
  const possible = stageStacks(scope).filter((s) => !kept.has(s.name));
  // One listing finds which of them exist (usually none); only those are described, for their tags.
  const live = new Set<string>();
  let token: string | undefined;
  do {
    const page = await aws.cloudFormation().send(new ListStacksCommand({ ...(token ? { NextToken: token } : {}) }));
    for (const summary of page.StackSummaries ?? []) if (summary.StackStatus !== 'DELETE_COMPLETE' && summary.StackName) live.add(summary.StackName);
    token = page.NextToken;
  } while (token);
  const candidates = possible.filter((s) => live.has(s.name));
  const found = await Promise.all(candidates.map(async (s) => ({ s, deployed: await describeStack(aws, s.name) })));
  return found
    .filter(({ deployed }) => deployed?.tags['managed-by'] === 'spec3' && deployed.tags.project === scope.project && deployed.tags.stage === scope.stage)
    .map(({ s, deployed }) => ({ name: s.name, phase: s.phase, status: deployed!.status }));
}

/** One line for a person: which stacks stay live although the config dropped them, and how to remove them. */
export function removedMessage(removed: readonly RemovedStack[], stage: string): string {
  return (
    `Removed from config but still deployed: ${removed.map((s) => `${s.name} (${s.status})`).join(', ')}. ` +
    `They keep running until deleted: \`spec3 deploy ${stage} --prune\` deletes them after the deploy.`
  );
}
