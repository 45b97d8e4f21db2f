import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import type { TemplateDiff } from '@aws-cdk/cloudformation-diff';

export interface ResourceDiff {
  readonly logicalId: string;
  readonly type: string;
  readonly change: 'add' | 'remove' | 'modify';
  /** For a modification: replaced (true), updated in place (false), or replaced depending on values only known at deploy ('conditional'). */
  readonly replacement?: boolean | 'conditional';
}

export interface SecurityDiff {
  /** IAM permissions or security-group access would widen (what `cdk deploy` asks approval for). */
  readonly broadened: boolean;
  /** `+ Allow s3:GetObject on ${Bucket.Arn} to AWS:${Role}`, `- managed policy ... on ...`. */
  readonly iam: readonly string[];
  /** `+ ${Group.GroupId} In TCP 443 Everyone (IPv4)`. */
  readonly securityGroups: readonly string[];
}

export interface TemplateComparison {
  readonly empty: boolean;
  readonly resources: readonly ResourceDiff[];
  readonly security: SecurityDiff;
  /** The library's own rendering (`cdk diff` style), without colours. */
  readonly text: string;
}

/**
 * The semantic difference between the deployed template and the synthesized one, computed and
 * rendered by the official CDK template-diff library, so spec3 shows what `cdk diff` would. The
 * library is loaded here, on first use: it is large and only `diff` and a deploy approval need it.
 */
export async function compareTemplates(deployed: object, local: object): Promise<TemplateComparison> {
  const { fullDiff, formatDifferences } = await import('@aws-cdk/cloudformation-diff');
  const diff = fullDiff(deployed as never, local as never);
  hideScaffolding(diff);
  if (diff.isEmpty) return { empty: true, resources: [], security: { broadened: false, iam: [], securityGroups: [] }, text: '' };

  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  // The security tables come first in this rendering, as in `cdk diff`.
  formatDifferences(stream, diff);
  return {
    empty: false,
    resources: resourceDiffs(diff),
    security: {
      broadened: diff.permissionsBroadened,
      iam: [...rows(diff.iamChanges.summarizeStatements(), iamStatement), ...rows(diff.iamChanges.summarizeManagedPolicies(), managedPolicy)],
      securityGroups: rows(diff.securityGroupChanges.summarize(), (r) => r.join(' ')),
    },
    // The engine leaves colours to the CLI; the library colours when it thinks a terminal is there.
    text: stripVTControlCharacters(text).replace(/\n+$/, '\n'),
  };
}

/** What `cdk diff` leaves out too: the CDK metadata resource and the bootstrap-version rule, which every deploy tool adds. */
function hideScaffolding(diff: TemplateDiff): void {
  diff.resources = diff.resources.filter((r) => r?.newResourceType !== 'AWS::CDK::Metadata' && r?.oldResourceType !== 'AWS::CDK::Metadata');
  diff.unknown = diff.unknown.filter((u) => !u?.newValue?.CheckBootstrapVersion && !u?.oldValue?.CheckBootstrapVersion);
}

function resourceDiffs(diff: TemplateDiff): ResourceDiff[] {
  const out: ResourceDiff[] = [];
  diff.resources.forEachDifference((logicalId, r) => {
    const type = r.newResourceType ?? r.oldResourceType ?? 'Unknown';
    if (r.isAddition) out.push({ logicalId, type, change: 'add' });
    else if (r.isRemoval) out.push({ logicalId, type, change: 'remove' });
    else {
      const impact = r.changeImpact as string;
      const replacement = impact === 'WILL_REPLACE' ? true : impact === 'MAY_REPLACE' ? ('conditional' as const) : false;
      out.push({ logicalId, type, change: 'modify', replacement });
    }
  });
  return out;
}

/** A summary table of the library (header row first, cells possibly coloured) as one line per row. */
function rows(table: string[][], line: (cells: string[]) => string): string[] {
  return table.slice(1).map((row) => line(row.map((cell) => stripVTControlCharacters(cell).replace(/\n/g, ', '))));
}

function iamStatement([sign, resource, effect, action, principal, condition]: string[]): string {
  return `${sign} ${effect} ${action} on ${resource}${principal ? ` to ${principal}` : ''}${condition ? ` when ${condition}` : ''}`;
}

function managedPolicy([sign, identity, arn]: string[]): string {
  return `${sign} managed policy ${arn} on ${identity}`;
}
