import { Option, type Command } from 'commander';
import { parseMaxAttempts, type AwsFlags } from '../aws/access.js';
import { isSpec3Error, Spec3Error } from '../errors.js';

/** The AWS options of every command that talks to AWS. */
export function addAwsOptions(command: Command): Command {
  return command
    .option('--profile <name>', 'AWS profile (default: the standard credential chain)')
    .option('--local', 'use the spec3 local AWS started by `spec3 local start` (with --endpoint: the one at that URL)')
    .option('--endpoint <url>', 'another AWS endpoint, e.g. LocalStack, reached like AWS: normal credentials and polling (default: AWS_ENDPOINT_URL)')
    // Not an option: a stage's region comes from its config. Kept hidden to say so instead of "unknown option".
    .addOption(new Option('--region <region>').hideHelp().argParser(refuseRegion))
    .addOption(
      new Option('--max-attempts <n>', 'attempts per AWS call, with adaptive backoff (default 8, or SPEC3_MAX_ATTEMPTS)').argParser(
        maxAttempts,
      ),
    );
}

/** `--max-attempts`, checked by the engine's own rule; the flag's error also says what to do. */
function maxAttempts(value: string): number {
  try {
    return parseMaxAttempts(value);
  } catch (error) {
    if (!isSpec3Error(error) || error.hint) throw error;
    throw new Spec3Error(error.code, error.message, 'Pass --max-attempts a whole number from 1 to 20, or leave it out for the default of 8.');
  }
}

/**
 * A region other than the stage's would be half a target: the assembly, the lock and the
 * `.spec3/<stage>/` files are all the stage's. Another region is another stage.
 */
function refuseRegion(value: string): never {
  throw new Spec3Error(
    'REGION_IS_STAGE_SETTING',
    `--region ${value}: spec3 takes no --region; each stage deploys to the region its config names (stages.<stage>.region).`,
    `Set the stage's "region" in spec3.config.json, or add a stage for ${value} there (e.g. "devwest": { "account": "123456789012", "region": "${value}" }) and name that stage.`,
  );
}

export function awsFlags(flags: AwsFlags): AwsFlags {
  return {
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.local ? { local: true } : {}),
    ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
    ...(flags.maxAttempts ? { maxAttempts: flags.maxAttempts } : {}),
  };
}
