import type { Context } from '../context.js';
import { resolveAwsAccess, type AwsFlags } from './access.js';
import { AwsClients } from './clients.js';
import { assertStageAccount, callerIdentity, type Identity } from './identity.js';

export interface StageConnection {
  readonly aws: AwsClients;
  readonly identity: Identity;
  /**
   * Whether the target is the spec3 local AWS (`--local`), which answers at once and stands in for
   * some resource types. Any other endpoint is treated as AWS.
   */
  readonly local: boolean;
}

/**
 * Clients for a stage's account and region, after checking with STS that the credentials belong
 * to that account. Every command that changes AWS starts here, so a wrong account is refused
 * before anything changes.
 */
export async function connectStage(
  stage: { name: string; account: string; region: string },
  flags: AwsFlags,
  ctx: Pick<Context, 'env' | 'io'>,
): Promise<StageConnection> {
  const { connection } = await connectStageWith(stage, flags, ctx, async () => undefined);
  return connection;
}

/**
 * `connectStage`, with `reads` started beside the account check to save a round trip. `reads`
 * must change nothing: its result is used only once the account is confirmed, and a wrong
 * account is reported before any error of `reads`.
 */
export async function connectStageWith<T>(
  stage: { name: string; account: string; region: string },
  flags: AwsFlags,
  ctx: Pick<Context, 'env' | 'io'>,
  reads: (aws: AwsClients) => Promise<T>,
): Promise<{ connection: StageConnection; reads: T }> {
  const { options, local } = await resolveAwsAccess(flags, ctx.env, stage.region);
  const aws = new AwsClients(options);
  // Settled into a value so that a failure of the reads cannot go unhandled while the check runs.
  const pending = reads(aws).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const identity = await callerIdentity(aws);
  ctx.io.emit({
    code: 'AWS_IDENTITY',
    level: 'debug',
    message: `Credentials: ${identity.arn}${options.endpoint ? ` at ${options.endpoint}${local ? ' (the spec3 local AWS)' : ''}` : ''}, region ${options.region}`,
    data: { ...identity, endpoint: options.endpoint, region: options.region, local },
  });
  assertStageAccount(stage, identity);
  const result = await pending;
  if (!result.ok) throw result.error;
  return { connection: { aws, identity, local }, reads: result.value };
}

/** Poll intervals: the local AWS answers at once; AWS (or any other endpoint) needs seconds and should not be hammered. */
export function pollIntervals(local: boolean): { pollMs: number; maxPollMs: number } {
  return local ? { pollMs: 50, maxPollMs: 500 } : { pollMs: 1000, maxPollMs: 5000 };
}
