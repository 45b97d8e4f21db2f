import type { PreparedStack } from './prepare.js';

export interface Broadening {
  readonly stack: string;
  /** Human-readable lines: the IAM statements and security-group rules that widen access. */
  readonly details: readonly string[];
}

/**
 * Stacks whose change widens IAM permissions or security-group access, computed with the official
 * CDK template-diff library (the same test `cdk deploy --require-approval broadening` applies).
 */
export async function findBroadening(stacks: readonly PreparedStack[]): Promise<Broadening[]> {
  const changing = stacks.filter((s) => s.reason !== undefined);
  if (changing.length === 0) return [];
  const { fullDiff } = await import('@aws-cdk/cloudformation-diff');
  const found: Broadening[] = [];
  for (const s of changing) {
    const diff = fullDiff((s.deployedTemplate ?? {}) as never, s.template as never);
    if (!diff.permissionsBroadened) continue;
    const details: string[] = [];
    for (const st of diff.iamChanges.statements.additions) {
      details.push(`IAM allow ${list(st.actions)} on ${list(st.resources)} to ${list(st.principals)}`);
    }
    for (const p of diff.iamChanges.managedPolicies.additions) details.push(`IAM managed policy ${p.managedPolicyArn} on ${p.identityArn}`);
    for (const r of diff.securityGroupChanges.ingress.additions) details.push(`security group ingress ${describeRule(r)}`);
    for (const r of diff.securityGroupChanges.egress.additions) details.push(`security group egress ${describeRule(r)}`);
    found.push({ stack: s.stack.name, details });
  }
  return found;
}

function list(x: { values?: readonly string[] } | readonly string[] | undefined): string {
  const values = Array.isArray(x) ? (x as string[]) : ((x as { values?: string[] } | undefined)?.values ?? []);
  if (values.length === 0) return '(none)';
  return values.length > 3 ? `${values.slice(0, 3).join(', ')} and ${values.length - 3} more` : values.join(', ');
}

function describeRule(rule: { describeProtocol(): string; describePeer(): string; groupId: string }): string {
  return `${rule.describeProtocol()} from ${rule.describePeer()} on ${rule.groupId}`;
}
