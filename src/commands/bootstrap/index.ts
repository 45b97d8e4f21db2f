import { withSignal, type AwsFlags } from '../../aws/access.js';
import { bootstrapVersion, DEFAULT_QUALIFIER, versionParameter } from '../../aws/bootstrap-version.js';
import { deployStack } from '../../aws/cfn/deploy-stack.js';
import { describeStack, isDeployed } from '../../aws/cfn/stacks.js';
import { connectStage, pollIntervals } from '../../aws/connect.js';
import { loadConfig } from '../../config/load.js';
import { resolveStage } from '../../config/resolve.js';
import type { Context } from '../../context.js';
import { AbortError, Spec3Error } from '../../errors.js';
import { interruptedError, throwIfInterrupted } from '../interrupted.js';
import { spec3Command } from '../rerun.js';
import { changeSetEvents } from '../stack-job.js';
import { bootstrapTemplate } from './template.js';

export const TOOLKIT_STACK = 'CDKToolkit';

export interface BootstrapOptions {
  readonly stage: string;
  readonly config?: string;
  /** Overrides the config's `qualifier`. */
  readonly qualifier?: string;
  readonly aws?: AwsFlags;
  readonly signal?: AbortSignal;
}

export interface BootstrapResult {
  readonly stage: string;
  readonly account: string;
  readonly region: string;
  readonly stackName: string;
  readonly qualifier: string;
  readonly action: 'created' | 'updated' | 'unchanged';
  readonly version: number;
  readonly previousVersion?: number;
  readonly bucket?: string;
}

/**
 * `spec3 bootstrap <stage>`: deploys the standard CDK bootstrap stack (`CDKToolkit`) into the
 * stage's account and region. An account bootstrapped by `cdk bootstrap` at the same or a newer
 * version is left as it is; an older one is upgraded keeping its parameters.
 */
export async function run(options: BootstrapOptions, ctx: Context): Promise<BootstrapResult> {
  const loaded = await loadConfig({ cwd: ctx.cwd, config: options.config, io: ctx.io });
  const stage = resolveStage(loaded.config, options.stage, loaded.name);
  const qualifier = options.qualifier ?? loaded.config.qualifier ?? DEFAULT_QUALIFIER;
  if (!/^[a-z0-9]{1,10}$/.test(qualifier)) {
    throw new Spec3Error('BAD_QUALIFIER', `Qualifier "${qualifier}" is invalid.`, 'Use 1 to 10 lowercase letters or digits.');
  }
  const { aws, local } = await connectStage(stage, withSignal(options.aws, options.signal), ctx);
  const template = await bootstrapTemplate();
  const [current, version] = await Promise.all([describeStack(aws, TOOLKIT_STACK), bootstrapVersion(aws, versionParameter(qualifier))]);
  const base = { stage: stage.name, account: stage.account, region: stage.region, stackName: TOOLKIT_STACK, qualifier };
  if (current && isDeployed(current.status) && version !== undefined && version >= template.version) {
    return { ...base, action: 'unchanged', version, bucket: current.outputs.BucketName };
  }
  const existing = current && isDeployed(current.status) ? current : undefined;
  if (existing && existing.parameters.Qualifier?.value && existing.parameters.Qualifier.value !== qualifier) {
    throw new Spec3Error(
      'QUALIFIER_MISMATCH',
      `${TOOLKIT_STACK} in account ${stage.account}, ${stage.region} uses qualifier "${existing.parameters.Qualifier.value}", not "${qualifier}".`,
      `Set "qualifier": "${existing.parameters.Qualifier.value}" in the config, or bootstrap with another toolkit stack.`,
    );
  }
  ctx.io.emit({
    code: 'BOOTSTRAP_START',
    level: 'info',
    message: existing
      ? `Upgrading ${TOOLKIT_STACK} from version ${version ?? '?'} to ${template.version} (account ${stage.account}, ${stage.region})`
      : `Bootstrapping account ${stage.account}, ${stage.region} (CDK bootstrap version ${template.version}, qualifier ${qualifier})`,
  });
  throwIfInterrupted(options.signal);
  const outcome = await deployStack(
    aws,
    {
      name: TOOLKIT_STACK,
      templateBody: template.body,
      tags: {},
      terminationProtection: existing?.terminationProtection ?? false,
      // Keep what an earlier bootstrap chose (trusted accounts, policies, ...); set only the qualifier.
      parameters: template.parameters
        .filter((key) => key === 'Qualifier' || (existing && key in existing.parameters))
        .map((key) => (key === 'Qualifier' ? { key, value: qualifier } : { key })),
    },
    current,
    {
      ...pollIntervals(local),
      ...(options.signal ? { signal: options.signal } : {}),
      onEvent: (e) => ctx.io.emit({ code: 'RESOURCE_EVENT', level: 'debug', message: `${e.logicalId} ${e.status}`, data: e }),
      onNotice: (message) => ctx.io.emit({ code: 'STACK_NOTICE', level: 'warn', message }),
      onChangeSet: changeSetEvents(ctx.io, TOOLKIT_STACK),
    },
  ).catch(async (error: unknown) => {
    if (!(error instanceof AbortError) || !options.signal?.aborted) throw error;
    const rerun = { env: ctx.env, ...(options.aws ? { aws: options.aws } : {}), ...(options.config ? { config: options.config } : {}) };
    throw await interruptedError(aws, [{ name: TOOLKIT_STACK }], ctx, {
      code: 'BOOTSTRAP_INTERRUPTED',
      nothingNew: 'nothing more was started',
      busy: 'CloudFormation is still working on',
      again: spec3Command(rerun, 'bootstrap', stage.name),
    });
  });
  return {
    ...base,
    action: outcome.action === 'no-changes' ? 'unchanged' : outcome.action,
    version: Number(outcome.stack.outputs.BootstrapVersion ?? template.version),
    ...(version !== undefined ? { previousVersion: version } : {}),
    ...(outcome.stack.outputs.BucketName ? { bucket: outcome.stack.outputs.BucketName } : {}),
  };
}
