import { App, Tags } from 'aws-cdk-lib';
import type { LoadedExtensions } from '../extend/load.js';
import { runHook } from '../extend/run.js';
import type { ResolvedFunction, ResolvedStage } from '../config/resolve.js';
import type { Spec3Config } from '../config/schema.js';
import { availabilityZones } from './azs.js';
import { ApiStack } from './stacks/api-stack.js';
import { ComputeStack } from './stacks/compute-stack.js';
import { DataStack } from './stacks/data-stack.js';
import { EdgeStack } from './stacks/edge-stack.js';
import { IntegrationsStack } from './stacks/integrations-stack.js';
import { MessagingStack } from './stacks/messaging-stack.js';
import { MonitoringStack } from './stacks/monitoring-stack.js';
import { NetworkStack } from './stacks/network-stack.js';
import { PipelineStack } from './stacks/pipeline-stack.js';
import { SecurityStack } from './stacks/security-stack.js';
import { ServiceStack } from './stacks/service-stack.js';
import { StorageStack } from './stacks/storage-stack.js';
import type { Spec3Stack } from './spec3-stack.js';
import { Wiring } from './wiring.js';
import { stackKindsOf } from './kinds.js';
import { addRawExtensions } from './raw/include.js';

export interface AppInput {
  readonly stage: ResolvedStage;
  readonly functions: readonly ResolvedFunction[];
  readonly features: Spec3Config['features'];
  /** Function name -> directory with its bundled code. */
  readonly assets: ReadonlyMap<string, string>;
  /** Where the cloud assembly is written. */
  readonly outdir: string;
  /** Absolute directory of features.service.source (the Dockerfile), when the service is built from source. */
  readonly serviceSource?: string;
  /** Whether this stage creates the account's GitHub OIDC provider (see ownsOidcProvider); default true. */
  readonly ownsOidcProvider?: boolean;
  /** The project's spec3.extend.ts: each stack's hook runs right after the stack is built. */
  readonly extensions?: LoadedExtensions;
}

export interface BuiltApp {
  readonly app: App;
  readonly stacks: readonly Spec3Stack[];
}

/**
 * Builds the embedded CDK app for one stage: the stacks of every phase, in phase order, each
 * created only when the stage has something for it. No I/O here beyond what CDK does at synth.
 */
export function buildApp(input: AppInput): BuiltApp {
  const { stage } = input;
  const app = new App({
    outdir: input.outdir,
    // AZ names come from the stage, so synth never needs an AWS lookup.
    context: {
      [`availability-zones:account=${stage.account}:region=${stage.region}`]: availabilityZones(stage),
      // S3 server access logs are delivered under a bucket policy for the logging service rather
      // than the legacy log-delivery ACL, which would force ACLs back on for the log bucket.
      '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
      // The stack quotas are checked after synth by src/stack/limits.ts, with a named error that
      // says where the resources come from; CDK's own check (500 resources) would be a bare throw.
      '@aws-cdk/core:stackResourceLimit': 0,
    },
  });
  const wiring = new Wiring();
  const base = { stage, wiring };
  const stacks: Spec3Stack[] = [];
  // The hook runs before the next stack is built, so what it publishes is there for later stacks
  // (and spec3's checks see the stack as the hook left it).
  const add = (stack: Spec3Stack): void => {
    stacks.push(stack);
    if (input.extensions) runHook(stack, input.extensions);
  };

  const has = new Set(stackKindsOf({ stage, functions: input.functions, features: input.features }));

  if (has.has('network')) add(new NetworkStack(app, base));
  add(new SecurityStack(app, base));
  if (has.has('edge')) add(new EdgeStack(app, base));
  if (has.has('pipeline') && input.features.pipeline) add(new PipelineStack(app, { ...base, pipeline: input.features.pipeline, ownsOidcProvider: input.ownsOidcProvider }));
  add(new StorageStack(app, base));
  if (has.has('data')) add(new DataStack(app, { ...base, features: input.features }));
  add(new MessagingStack(app, { ...base, functions: input.functions }));

  if (has.has('compute')) add(new ComputeStack(app, { ...base, functions: input.functions, assets: input.assets }));
  if (has.has('api') && input.features.api) {
    add(new ApiStack(app, { ...base, api: input.features.api, functions: input.functions }));
  }
  if (has.has('service') && input.features.service) add(new ServiceStack(app, { ...base, service: input.features.service, sourceDir: input.serviceSource }));
  add(new MonitoringStack(app, { ...base, functions: input.functions, api: input.features.api }));

  if (has.has('integrations')) add(new IntegrationsStack(app, { ...base, functions: input.functions }));

  // Raw CloudFormation goes in last: it may reference any of spec3's resources of the stage.
  addRawExtensions({ stage, stacks, wiring });

  // Dashboards take no tags in CloudFormation (cfn-lint E3002), though aws-cdk-lib would add them.
  const untaggable = { excludeResourceTypes: ['AWS::CloudWatch::Dashboard'] };
  Tags.of(app).add('project', stage.project, untaggable);
  Tags.of(app).add('stage', stage.name, untaggable);
  Tags.of(app).add('managed-by', 'spec3', untaggable);
  return { app, stacks };
}
