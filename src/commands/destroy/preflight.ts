import { DescribeStacksCommand, ListExportsCommand, ListImportsCommand } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { bucketExists, bucketState, type BucketState } from '../../aws/buckets.js';
import type { AwsClients } from '../../aws/clients.js';
import type { StackResource } from '../../aws/cfn/delete-stack.js';
import { awsErrorName, describeAwsError } from '../../aws/errors.js';
import { tableState, type TableState } from '../../aws/tables.js';
import { stageStacks, type NameScope } from '../../stack/naming.js';
import type { BucketToEmpty, PlannedStack, TableToDelete } from './plan.js';

/** Something that would stop the destroy half-way, found before anything is deleted. */
export interface Blocker {
  readonly stack: string;
  readonly problem: string;
  /** A command that removes the blocker, as printed. */
  readonly fix: string;
  /** `--allow-protected` lifts it (table deletion protection, as it lifts termination protection). */
  readonly liftedByAllowProtected: boolean;
}

export interface CheckedTable extends TableToDelete, TableState {}
export interface CheckedBucket extends BucketToEmpty, BucketState {}

export interface Preflight {
  readonly blockers: readonly Blocker[];
  readonly tables: readonly CheckedTable[];
  readonly buckets: readonly CheckedBucket[];
  /** DELETE_FAILED stacks: logical ids of failed resources that are already gone (retained on the retry). */
  readonly goneFailed: ReadonlyMap<string, readonly string[]>;
  /** What could not be checked, said as it is. */
  readonly unchecked: readonly string[];
}

/**
 * What would stop the destroy half-way, read before the first object is deleted (busy stacks and
 * termination protection are refused earlier, from DescribeStacks): tables with deletion protection, buckets that
 * cannot be emptied (object lock, a policy denying deletes), and stacks outside the stage that
 * read its values (CloudFormation imports of its exports, SSM-typed parameters naming its values).
 */
export async function preflight(aws: AwsClients, planned: readonly PlannedStack[], scope: NameScope): Promise<Preflight> {
  const blockers: Blocker[] = [];
  const unchecked: string[] = [];
  const stage = scope.stage;
  const [tables, buckets] = await Promise.all([
    Promise.all(planned.flatMap((p) => p.tables).map(async (t): Promise<CheckedTable> => ({ ...t, ...(await tableState(aws, t.table)) }))),
    Promise.all(planned.flatMap((p) => p.buckets).map(async (b): Promise<CheckedBucket> => ({ ...b, ...(await bucketState(aws, b.bucket)) }))),
  ]);
  for (const t of tables.filter((t) => t.exists && t.deletionProtection)) {
    blockers.push({
      stack: t.stack,
      problem: `table ${t.table} (${t.stack} ${t.logicalId}) has deletion protection on`,
      fix: `\`aws dynamodb update-table --table-name ${t.table} --no-deletion-protection-enabled\`, or \`spec3 destroy ${stage} --allow-protected\`, which turns it off right before the stack is deleted`,
      liftedByAllowProtected: true,
    });
  }
  for (const b of buckets.filter((b) => b.exists)) {
    if (b.objectLock) {
      blockers.push({
        stack: b.stack,
        problem: `bucket ${b.bucket} (${b.stack} ${b.logicalId}) has object lock on: locked object versions cannot be deleted before their retention ends`,
        fix: `see the retention with \`aws s3api get-object-lock-configuration --bucket ${b.bucket}\` and run the destroy once it has ended; or keep the bucket: set "retainData": true in stage ${stage}, run \`spec3 deploy ${stage}\`, then \`spec3 destroy ${stage}\``,
        liftedByAllowProtected: false,
      });
    }
    if (b.denyDeletes) {
      blockers.push({
        stack: b.stack,
        problem: `bucket ${b.bucket} (${b.stack} ${b.logicalId}): its policy (${b.denyDeletes}) denies deleting objects to everyone`,
        fix: `\`aws s3api delete-bucket-policy --bucket ${b.bucket}\` (or remove that statement), then run \`spec3 destroy ${stage}\` again`,
        liftedByAllowProtected: false,
      });
    }
  }
  let readers: { blockers: Blocker[]; unchecked: string[] };
  try {
    readers = await outsideReaders(aws, planned, scope);
  } catch (error) {
    // Listing exports or stacks failed: said as not checked, not as "nobody reads these values".
    readers = { blockers: [], unchecked: [`whether stacks outside the stage read its values: ${describeAwsError(error)}`] };
  }
  blockers.push(...readers.blockers);
  unchecked.push(...readers.unchecked);
  const goneFailed = new Map<string, string[]>();
  for (const p of planned.filter((p) => p.deployed.status === 'DELETE_FAILED')) {
    const gone: string[] = [];
    for (const r of p.failed) if (await resourceGone(aws, r)) gone.push(r.logicalId);
    if (gone.length > 0) goneFailed.set(p.name, gone);
  }
  return { blockers, tables, buckets, goneFailed, unchecked };
}

/**
 * Whether a resource a failed delete left behind has been removed since (by hand, say). Known for
 * the data types spec3 stacks hold; any other type counts as still there, so CloudFormation
 * retries deleting it rather than spec3 assuming it gone.
 */
async function resourceGone(aws: AwsClients, r: StackResource): Promise<boolean> {
  if (!r.physicalId) return false;
  switch (r.type) {
    case 'AWS::DynamoDB::Table':
      return !(await tableState(aws, r.physicalId)).exists;
    case 'AWS::S3::Bucket':
      return !(await bucketExists(aws, r.physicalId));
    case 'AWS::SSM::Parameter':
      try {
        await aws.ssm().send(new GetParameterCommand({ Name: r.physicalId }));
        return false;
      } catch (error) {
        return awsErrorName(error) === 'ParameterNotFound';
      }
    default:
      return false;
  }
}

/** Stacks outside the stage that read its values, where CloudFormation shows it. */
async function outsideReaders(
  aws: AwsClients,
  planned: readonly PlannedStack[],
  scope: NameScope,
): Promise<{ blockers: Blocker[]; unchecked: string[] }> {
  const cfn = aws.cloudFormation();
  const ids = new Set(planned.map((p) => p.deployed.id));
  const own = new Set(stageStacks(scope).map((s) => s.name));
  const blockers: Blocker[] = [];
  const unchecked: string[] = [];

  // Imports of the stacks' exports.
  const exports: { name: string; stack: string }[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new ListExportsCommand({ NextToken: token }));
    for (const e of page.Exports ?? []) {
      if (e.ExportingStackId && ids.has(e.ExportingStackId) && e.Name) {
        exports.push({ name: e.Name, stack: planned.find((p) => p.deployed.id === e.ExportingStackId)!.name });
      }
    }
    token = page.NextToken;
  } while (token);
  for (const e of exports) {
    try {
      const importers: string[] = [];
      let next: string | undefined;
      do {
        const page = await cfn.send(new ListImportsCommand({ ExportName: e.name, NextToken: next }));
        importers.push(...(page.Imports ?? []));
        next = page.NextToken;
      } while (next);
      for (const importer of importers.filter((i) => !own.has(i))) {
        blockers.push({
          stack: e.stack,
          problem: `stack ${importer} imports ${e.name}, an export of ${e.stack}: CloudFormation refuses to delete ${e.stack} while it is imported`,
          fix: `remove the Fn::ImportValue of ${e.name} from ${importer}, or delete it: \`aws cloudformation delete-stack --stack-name ${importer}\``,
          liftedByAllowProtected: false,
        });
      }
    } catch (error) {
      // CloudFormation answers a ValidationError for an export nobody imports.
      if (awsErrorName(error) === 'ValidationError' && /not imported/i.test((error as Error).message)) continue;
      unchecked.push(`whether another stack imports ${e.name} (export of ${e.stack}): ListImports failed, ${describeAwsError(error)}`);
    }
  }

  // SSM-typed template parameters naming the stage's values (/spec3/<project>/<stage>/...).
  const root = `/spec3/${scope.project}/${scope.stage}/`;
  let page: string | undefined;
  do {
    const out = await cfn.send(new DescribeStacksCommand({ NextToken: page }));
    for (const s of out.Stacks ?? []) {
      if (!s.StackName || own.has(s.StackName) || s.StackStatus === 'DELETE_COMPLETE') continue;
      const read = (s.Parameters ?? []).map((p) => p.ParameterValue ?? '').filter((v) => v.startsWith(root));
      if (read.length === 0) continue;
      blockers.push({
        stack: s.StackName,
        problem: `stack ${s.StackName}, outside the stage, reads its values through SSM parameters (${read.join(', ')}); it would be left pointing at deleted resources`,
        fix: `delete or change ${s.StackName} first (\`aws cloudformation delete-stack --stack-name ${s.StackName}\`), then run \`spec3 destroy ${scope.stage}\` again`,
        liftedByAllowProtected: false,
      });
    }
    page = out.NextToken;
  } while (page);
  return { blockers, unchecked };
}
