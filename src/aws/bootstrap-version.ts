import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { Spec3Error } from '../errors.js';
import type { AwsClients } from './clients.js';
import { awsErrorName } from './errors.js';

export const DEFAULT_QUALIFIER = 'hnb659fds';

export const versionParameter = (qualifier: string): string => `/cdk-bootstrap/${qualifier}/version`;

/** The bootstrap version of the account/region, read where the CDK CLI reads it; undefined if none. */
export async function bootstrapVersion(aws: AwsClients, parameter: string): Promise<number | undefined> {
  try {
    const out = await aws.ssm().send(new GetParameterCommand({ Name: parameter }));
    const version = Number(out.Parameter?.Value);
    return Number.isFinite(version) ? version : undefined;
  } catch (error) {
    if (awsErrorName(error) === 'ParameterNotFound') return undefined;
    throw error;
  }
}

/** Refuses a deploy into an account/region that is not bootstrapped, or bootstrapped too long ago. */
export async function assertBootstrapped(
  aws: AwsClients,
  target: {
    stage: string;
    account: string;
    region: string;
    parameter: string;
    required: number;
    /** The bootstrap command for this run's target, as printed in the hint (see spec3Command). */
    bootstrapCommand: string;
  },
): Promise<number> {
  const version = await bootstrapVersion(aws, target.parameter);
  const where = `account ${target.account}, region ${target.region}`;
  if (version === undefined) {
    throw new Spec3Error(
      'BOOTSTRAP_MISSING',
      `Stage ${target.stage} cannot be deployed: ${where} is not bootstrapped (no ${target.parameter}).`,
      `Run \`${target.bootstrapCommand}\` once, then deploy again.`,
    );
  }
  if (version < target.required) {
    throw new Spec3Error(
      'BOOTSTRAP_TOO_OLD',
      `Stage ${target.stage} needs bootstrap version ${target.required} or later; ${where} has version ${version}.`,
      `Run \`${target.bootstrapCommand}\` to upgrade it, then deploy again.`,
    );
  }
  return version;
}
