import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { Spec3Error } from '../errors.js';
import type { AwsClients } from './clients.js';
import { AwsCallError, describeAwsError } from './errors.js';

export interface Identity {
  readonly account: string;
  readonly arn: string;
}

/** Who the credentials are, via STS. Fails with the credential problem spelt out. */
export async function callerIdentity(aws: AwsClients): Promise<Identity> {
  try {
    const out = await aws.sts().send(new GetCallerIdentityCommand({}));
    return { account: out.Account ?? '', arn: out.Arn ?? '' };
  } catch (error) {
    // Expired or missing credentials, an endpoint that is down: the boundary's named error says it best.
    if (error instanceof AwsCallError && error.kind !== 'failed') throw error;
    if (error instanceof Spec3Error && !(error instanceof AwsCallError)) throw error;
    throw new Spec3Error(
      'NO_CREDENTIALS',
      `Could not identify the AWS credentials: ${describeAwsError(error)}`,
      aws.options.endpoint
        ? `Is the endpoint ${aws.options.endpoint} up? (\`spec3 local status\`)`
        : 'Configure credentials (AWS_PROFILE, --profile, or `aws configure`), then retry.',
      { cause: error },
    );
  }
}

/** A stage deploys only into its own account: refused before anything changes. */
export function assertStageAccount(stage: { name: string; account: string }, identity: Identity): void {
  if (identity.account === stage.account) return;
  throw new Spec3Error(
    'WRONG_ACCOUNT',
    `Stage ${stage.name} belongs to account ${stage.account}, but the credentials are for account ${identity.account} (${identity.arn}). Nothing was changed.`,
    `Use credentials for ${stage.account} (e.g. --profile), or fix "account" of stage ${stage.name} in the config.`,
  );
}
