import { Option, type Command } from 'commander';
import { parseMaxAttempts, type AwsFlags } from '../aws/access.js';
import { isSpec3Error, Spec3Error } from '../errors.js';

/** The AWS options of every command that talks to AWS. */
export function addAwsOptions(command: Command): Command {
  return command
    .option('--profile <name>', 'AWS profile (default: the standard credential chain)')
    .option('--region <region>', "override the stage's region")
    .option('--local', 'use the local AWS started by `spec3 local start`')
    .option('--endpoint <url>', 'AWS endpoint, e.g. a LocalStack URL (default: AWS_ENDPOINT_URL)')
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

export function awsFlags(flags: AwsFlags): AwsFlags {
  return {
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.local ? { local: true } : {}),
    ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
    ...(flags.maxAttempts ? { maxAttempts: flags.maxAttempts } : {}),
  };
}
