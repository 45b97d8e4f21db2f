import { aws_lambda as lambda } from 'aws-cdk-lib';
import type { ResolvedFunction } from '../../config/resolve.js';

/** The alias every caller (API, schedules, S3 rules, queue mappings) invokes: never $LATEST. */
export const LIVE_ALIAS = 'live';

/**
 * Publishes the function's current code and configuration as a version and points the `live`
 * alias at it. A new version appears only when the code or configuration changes, so an
 * unchanged deploy does not move the alias. Provisioned concurrency belongs to the alias: it
 * keeps environments of the version callers actually reach initialised.
 */
export function liveAlias(func: lambda.Function, fn: ResolvedFunction): lambda.Alias {
  return new lambda.Alias(func, 'Live', {
    aliasName: LIVE_ALIAS,
    version: func.currentVersion,
    description: `What callers of ${fn.name} invoke`,
    provisionedConcurrentExecutions: fn.provisionedConcurrency,
  });
}
