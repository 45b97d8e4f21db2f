import { Aws, CfnOutput, Duration, RemovalPolicy, aws_iam as iam } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { layeredSettings } from '../../config/presets.js';
import type { Spec3Config } from '../../config/schema.js';
import { acknowledge, wildcardFinding } from '../acknowledge.js';
import { prefix } from '../naming.js';
import type { StackHandles } from '../handles.js';
import { Spec3Stack, type StackInput } from '../spec3-stack.js';

/** GitHub Actions' OIDC issuer, without the scheme: also the provider's name in its IAM ARN. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';
/** The qualifier `cdk bootstrap` uses unless told otherwise. */
export const DEFAULT_QUALIFIER = 'hnb659fds';

export type PipelineConfig = NonNullable<Spec3Config['features']['pipeline']>;

export interface PipelineStackInput extends StackInput {
  readonly pipeline: PipelineConfig;
  /**
   * Whether this stage creates the account's GitHub OIDC provider (an account holds one provider
   * per issuer): with `oidcProvider: "create"`, the first stage of each account in config order
   * does (see `ownsOidcProvider`), the others import it by its ARN.
   * @default true
   */
  readonly ownsOidcProvider?: boolean;
}

/**
 * Whether `stageName` is the first stage of its account, in the config's stage order, so the one
 * that creates the GitHub OIDC provider there. Pure: it reads the config only; stages without an
 * account yet are skipped (resolving the stage itself reports that).
 */
export function ownsOidcProvider(config: Spec3Config, stageName: string): boolean {
  if (config.features.pipeline?.oidcProvider !== 'create') return false;
  const accountOf = (name: string) => layeredSettings(name, config.defaults, config.stages[name]).account;
  const account = accountOf(stageName);
  return Object.keys(config.stages).find((name) => accountOf(name) === account) === stageName;
}

/** The `sub` claim GitHub puts in the token of a job allowed to deploy the stage. */
export function deploySubject(pipeline: Pick<PipelineConfig, 'github' | 'branch'>, stage: { name: string; protected: boolean }): string {
  // A job that names an environment gets an environment subject (and GitHub applies that
  // environment's reviewers and branch rules first); other jobs get one for their branch.
  return stage.protected ? `repo:${pipeline.github}:environment:${stage.name}` : `repo:${pipeline.github}:ref:refs/heads/${pipeline.branch}`;
}

export const deployRoleName = (stage: { project: string; name: string }): string => `${prefix({ project: stage.project, stage: stage.name })}-deploy`;

/**
 * Phase foundation, with `features.pipeline`. The GitHub OIDC provider (created or imported) and
 * the stage's deploy role for GitHub Actions: it may do what `spec3 deploy <stage>` does itself
 * (take the stage lock, read the bootstrap version and the stage's stacks and published values)
 * and assume the CDK bootstrap roles, which do the deploying. Nothing else.
 */
export class PipelineStack extends Spec3Stack {
  readonly handles: StackHandles['pipeline'];

  constructor(scope: Construct, input: PipelineStackInput) {
    super(scope, 'pipeline', input, 'GitHub OIDC deploy role');
    const { stage, pipeline } = input;
    const { account, region } = stage;
    const qualifier = stage.qualifier ?? DEFAULT_QUALIFIER;
    const arn = (service: string, resource: string, where: { region?: string } = {}) =>
      `arn:${Aws.PARTITION}:${service}:${where.region ?? region}:${account}:${resource}`;

    const providerArn = this.githubProvider(pipeline.oidcProvider === 'create' && (input.ownsOidcProvider ?? true));

    const role = new iam.Role(this, 'DeployRole', {
      roleName: deployRoleName(stage),
      description: `Assumed by GitHub Actions of ${pipeline.github} to deploy ${stage.project} ${stage.name} with spec3`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.FederatedPrincipal(
        providerArn,
        {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
            [`${GITHUB_OIDC_HOST}:sub`]: deploySubject(pipeline, stage),
          },
        },
        'sts:AssumeRoleWithWebIdentity',
      ),
    });

    const bootstrapRoles = arn('iam', `role/cdk-${qualifier}-*-${account}-${region}`, { region: '' });
    const stageStacks = arn('cloudformation', `stack/${prefix({ project: stage.project, stage: stage.name })}-*/*`);
    const publishedValues = arn('ssm', `parameter/spec3/${stage.project}/${stage.name}/*`);
    const statements = [
      new iam.PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        actions: ['sts:AssumeRole'],
        resources: [bootstrapRoles],
      }),
      new iam.PolicyStatement({
        sid: 'ReadBootstrapVersion',
        actions: ['ssm:GetParameter'],
        resources: [arn('ssm', `parameter/cdk-bootstrap/${qualifier}/version`)],
      }),
      new iam.PolicyStatement({
        sid: 'StageLock',
        actions: ['ssm:PutParameter', 'ssm:GetParameter', 'ssm:DeleteParameter'],
        // The parameter src/aws/lock.ts creates (without overwrite) for the length of a deploy.
        resources: [arn('ssm', `parameter/spec3/${stage.project}/${stage.name}/lock`)],
      }),
      new iam.PolicyStatement({
        sid: 'ReadStageStacks',
        actions: ['cloudformation:DescribeStacks', 'cloudformation:DescribeStackEvents', 'cloudformation:GetTemplate', 'cloudformation:ListStackResources'],
        resources: [stageStacks],
      }),
      new iam.PolicyStatement({
        sid: 'ReadPublishedValues',
        actions: ['ssm:GetParameters'],
        resources: [publishedValues],
      }),
    ];
    const policy = new iam.Policy(this, 'DeployPolicy', { statements });
    role.attachInlinePolicy(policy);

    const flat = (resource: string) => resource.replace(Aws.PARTITION, '<AWS::Partition>');
    acknowledge(
      policy,
      {
        id: wildcardFinding(`Resource::${flat(bootstrapRoles)}`),
        reason: 'The CDK bootstrap roles of the account and region (deploy, file publishing, image publishing, lookup); their names differ only in that part.',
      },
      {
        id: wildcardFinding(`Resource::${flat(stageStacks)}`),
        reason: "Read-only access to this stage's stacks, whose names all start with <project>-<stage>- and whose ids CloudFormation assigns.",
      },
      {
        id: wildcardFinding(`Resource::${flat(publishedValues)}`),
        reason: 'Read-only access to the values the stage publishes for its later stacks, which deploy reads to skip unchanged stacks.',
      },
    );

    this.wiring.publish(this, 'deploy-role-arn', role.roleArn, `Role GitHub Actions assumes to deploy ${stage.name}`);
    new CfnOutput(this, 'DeployRoleArn', { value: role.roleArn, description: 'Role the GitHub Actions workflow assumes for this stage' });
    this.handles = { deployRole: role, deployPolicy: policy };
  }

  /**
   * The account's GitHub OIDC provider: created here (native AWS::IAM::OIDCProvider, kept when the
   * stage is destroyed, since other stages and projects of the account trust it too) or imported.
   */
  private githubProvider(create: boolean): string {
    if (!create) return `arn:${Aws.PARTITION}:iam::${this.stage.account}:oidc-provider/${GITHUB_OIDC_HOST}`;
    const provider = new iam.CfnOIDCProvider(this, 'GitHubOidcProvider', {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: [GITHUB_OIDC_AUDIENCE],
    });
    provider.applyRemovalPolicy(RemovalPolicy.RETAIN);
    return provider.attrArn;
  }
}
