import { readFile } from 'node:fs/promises';
import { stripVTControlCharacters } from 'node:util';
import type { TemplateDiff } from '@aws-cdk/cloudformation-diff';
import type { AssemblyStack } from '../../aws/assembly.js';
import { ResourceNames } from '../resource-names.js';
import type { PreparedStack } from './prepare.js';

/** One stack's widening changes, as the rows of `cdk diff`'s security tables (header first). */
export interface Broadening {
  readonly stack: string;
  /** `+`/`-`, Resource, Effect, Action, Principal, Condition: Allow statements added, Deny statements removed. */
  readonly iam: readonly (readonly string[])[];
  /** `+`, Resource, Managed Policy ARN. */
  readonly managedPolicies: readonly (readonly string[])[];
  /** `+`, Group, Dir, Protocol, Peer. */
  readonly securityGroups: readonly (readonly string[])[];
  /** The tables drawn as `cdk diff` draws them, names resolved, no colours. */
  readonly text: string;
}

const IAM_HEADER = ['', 'Resource', 'Effect', 'Action', 'Principal', 'Condition'];
const POLICY_HEADER = ['', 'Resource', 'Managed Policy ARN'];
const GROUP_HEADER = ['', 'Group', 'Dir', 'Protocol', 'Peer'];

/**
 * The stacks whose change widens IAM permissions or security-group access, computed with the
 * official CDK template-diff library (the test `cdk deploy --require-approval broadening` applies).
 * Only what widens is listed: an added Allow, a removed Deny, an attached managed policy, a new
 * security-group rule. An added Deny (e.g. the buckets' TLS-only `aws:SecureTransport=false` deny)
 * narrows access and is not listed. Tokens are replaced by the names of the resources they stand
 * for, read from every stack of the assembly, and identical rows are shown once.
 */
export async function findBroadening(stacks: readonly PreparedStack[], assembly: readonly AssemblyStack[]): Promise<Broadening[]> {
  const changing = stacks.filter((s) => s.reason !== undefined);
  if (changing.length === 0) return [];
  const { fullDiff, formatTable } = await import('@aws-cdk/cloudformation-diff');
  const ownTemplates = new Map(stacks.map((s) => [s.stack.name, s.template]));
  const templates = await Promise.all(
    assembly.map(async (s) => ({
      name: s.name,
      account: s.account,
      region: s.region,
      template: ownTemplates.get(s.name) ?? (JSON.parse(await readFile(s.templateFile, 'utf8')) as object),
    })),
  );
  const names = new ResourceNames(templates);
  const found: Broadening[] = [];
  for (const s of changing) {
    const diff = fullDiff((s.deployedTemplate ?? {}) as never, s.template as never);
    if (!diff.permissionsBroadened) continue;
    const named = (cells: readonly string[]): string[] => cells.map((cell) => names.resolve(s.stack.name, cell));
    const { iam, managedPolicies, securityGroups } = wideningRows(diff);
    const tables = {
      iam: distinct(iam.map(named)),
      managedPolicies: distinct(managedPolicies.map(named)),
      securityGroups: distinct(securityGroups.map(named)),
    };
    // The library colours the borders when it thinks a terminal is there; the engine leaves colours to the CLI.
    const table = (rows: string[][]) => stripVTControlCharacters(formatTable(rows, undefined));
    const text = [
      tables.iam.length > 0 ? `IAM Statement Changes\n${table([IAM_HEADER, ...tables.iam])}` : '',
      tables.managedPolicies.length > 0 ? `IAM Policy Changes\n${table([POLICY_HEADER, ...tables.managedPolicies])}` : '',
      tables.securityGroups.length > 0 ? `Security Group Changes\n${table([GROUP_HEADER, ...tables.securityGroups])}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    found.push({ stack: s.stack.name, ...tables, text });
  }
  return found;
}

function wideningRows(diff: TemplateDiff): { iam: string[][]; managedPolicies: string[][]; securityGroups: string[][] } {
  const statements = diff.iamChanges.statements;
  const statement = (sign: string) => (st: (typeof statements.additions)[number]) => {
    const r = st.render();
    return [sign, r.resource, r.effect, r.action, r.principal, r.condition];
  };
  const groups = diff.securityGroupChanges;
  const rule = (dir: string) => (r: (typeof groups.ingress.additions)[number]) => ['+', r.groupId, dir, r.describeProtocol(), r.describePeer()];
  return {
    iam: [
      ...statements.additions.filter((st) => !st.isNegativeStatement).map(statement('+')),
      ...statements.removals.filter((st) => st.isNegativeStatement).map(statement('-')),
    ],
    managedPolicies: diff.iamChanges.managedPolicies.additions.map((p) => ['+', p.identityArn, p.managedPolicyArn]),
    securityGroups: [...groups.ingress.additions.map(rule('In')), ...groups.egress.additions.map(rule('Out'))],
  };
}

/** Rows in their first order, each once; sorted by resource so a resource's rows stand together, as in `cdk diff`. */
function distinct(rows: readonly string[][]): string[][] {
  const seen = new Map<string, string[]>();
  for (const row of rows) seen.set(JSON.stringify(row), row);
  return [...seen.values()].sort((a, b) => (a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : 0));
}
