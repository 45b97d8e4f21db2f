import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as synth } from '../../../src/commands/synth/index.js';
import { lockParameter } from '../../../src/aws/lock.js';
import { parseConfig } from '../../../src/config/load.js';
import type { Spec3ConfigInput } from '../../../src/config/schema.js';
import { ownsOidcProvider } from '../../../src/stack/stacks/pipeline-stack.js';
import { TestIo } from '../../helpers/io.js';
import { sampleConfig, writeProject } from '../../helpers/project.js';
import { useTempDirs } from '../../helpers/tmp.js';
import { onlyResource, resourcesOf, useFreshStages, useStages, valuesUnder } from '../build.js';
import { nagFindings } from '../nag.js';
import { expectNoLintErrors } from '../lint.js';

const STAGES = ['dev', 'staging', 'prod'] as const;
const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';

function pipelineConfig(pipeline: Record<string, unknown> = {}, overrides: Partial<Spec3ConfigInput> = {}): Spec3ConfigInput {
  const base = sampleConfig(overrides);
  return { ...base, features: { ...base.features, pipeline: { github: 'acme/orders', ...pipeline } as never } };
}

/** prod in an account of its own. */
function twoAccounts(pipeline: Record<string, unknown> = {}): Spec3ConfigInput {
  const config = pipelineConfig(pipeline, { functions: [] });
  config.stages.prod = { ...config.stages.prod, account: OTHER_ACCOUNT, region: 'eu-west-1' };
  return config;
}

const built = useStages(STAGES, () => pipelineConfig());
const fresh = useFreshStages();
const existing = useStages(['prod'] as const, () => pipelineConfig({ oidcProvider: 'existing', branch: 'release' }));

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown; Principal?: unknown };
const policyStatements = (stage: (typeof STAGES)[number]): Statement[] =>
  onlyResource(built[stage].template('pipeline'), 'AWS::IAM::Policy').Properties!.PolicyDocument.Statement as Statement[];
const arn = (service: string, rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:${rest}`]] });

describe('pipeline stack: which stage creates the GitHub OIDC provider', () => {
  it('is the first stage of each account, in config order, with oidcProvider "create"', () => {
    const one = parseConfig(JSON.stringify(pipelineConfig()));
    expect(STAGES.map((s) => ownsOidcProvider(one, s))).toEqual([true, false, false]);
    const two = parseConfig(JSON.stringify(twoAccounts()));
    expect(STAGES.map((s) => ownsOidcProvider(two, s))).toEqual([true, false, true]);
    const reordered = parseConfig(JSON.stringify({ ...pipelineConfig(), stages: { prod: one.stages.prod, dev: one.stages.dev } }));
    expect(['prod', 'dev'].map((s) => ownsOidcProvider(reordered, s))).toEqual([true, false]);
  });

  it('is no stage with oidcProvider "existing", or without a pipeline', () => {
    const config = parseConfig(JSON.stringify(twoAccounts({ oidcProvider: 'existing' })));
    expect(STAGES.map((s) => ownsOidcProvider(config, s))).toEqual([false, false, false]);
    expect(ownsOidcProvider(parseConfig(JSON.stringify(sampleConfig())), 'dev')).toBe(false);
  });

  const tempDir = useTempDirs();
  const synthesized = async (config: Spec3ConfigInput) => {
    const dir = await tempDir();
    await writeProject(dir, config);
    const out: Record<string, Record<string, any>> = {};
    for (const stage of STAGES) {
      const result = await synth({ stage }, { cwd: dir, io: new TestIo() });
      const pipeline = result.phases.flatMap((p) => p.stacks).find((s) => s.kind === 'pipeline')!;
      expect(pipeline.phase).toBe('foundation');
      out[stage] = JSON.parse(await readFile(path.join(result.outDir, pipeline.template), 'utf8'));
    }
    return out;
  };
  const providers = (template: Record<string, any>) =>
    Object.values(template.Resources as Record<string, { Type: string }>).filter((r) => r.Type === 'AWS::IAM::OIDCProvider');
  const federated = (template: Record<string, any>) =>
    Object.values(template.Resources as Record<string, any>).find((r) => r.Type === 'AWS::IAM::Role')!.Properties.AssumeRolePolicyDocument
      .Statement[0].Principal.Federated;
  const imported = (account: string) => arn('iam', `:${account}:oidc-provider/token.actions.githubusercontent.com`);

  it('synth: stages sharing one account create the provider once, in the first stage, and import it elsewhere', async () => {
    const templates = await synthesized(pipelineConfig({}, { functions: [] }));
    expect(STAGES.map((s) => providers(templates[s]!).length)).toEqual([1, 0, 0]);
    expect(federated(templates.dev!)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^GitHubOidcProvider/), 'Arn'] });
    expect(federated(templates.staging!)).toEqual(imported(ACCOUNT));
    expect(federated(templates.prod!)).toEqual(imported(ACCOUNT));
  });

  it('synth: a stage alone in its account creates the provider there', async () => {
    const templates = await synthesized(twoAccounts());
    expect(STAGES.map((s) => providers(templates[s]!).length)).toEqual([1, 0, 1]);
    expect(federated(templates.staging!)).toEqual(imported(ACCOUNT));
  });

  it('synth: oidcProvider "existing" imports the provider in every stage', async () => {
    const templates = await synthesized(twoAccounts({ oidcProvider: 'existing' }));
    expect(STAGES.map((s) => providers(templates[s]!).length)).toEqual([0, 0, 0]);
    expect(federated(templates.prod!)).toEqual(imported(OTHER_ACCOUNT));
  });
});

describe('pipeline stack: provider and deploy role', () => {
  it('exists only with features.pipeline', () => {
    expect(built.dev.stack('pipeline')).toMatchObject({ stackName: 'orders-dev-pipeline', phase: 'foundation' });
    expect(fresh('dev', sampleConfig({ functions: [] })).stacks.map((s) => s.kind)).not.toContain('pipeline');
  });

  it('creates a native OIDC provider for GitHub, kept when the stage is destroyed', () => {
    const provider = onlyResource(built.dev.template('pipeline'), 'AWS::IAM::OIDCProvider');
    expect(provider.Properties).toMatchObject({ Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] });
    expect(provider.DeletionPolicy).toBe('Retain');
    expect(resourcesOf(built.dev.template('pipeline'), 'Custom::AWSCDKOpenIdConnectProvider')).toEqual({});
    expect(resourcesOf(existing.prod.template('pipeline'), 'AWS::IAM::OIDCProvider')).toEqual({});
  });

  it('names the role <project>-<stage>-deploy, with one-hour sessions', () => {
    for (const stage of STAGES) {
      expect(onlyResource(built[stage].template('pipeline'), 'AWS::IAM::Role').Properties).toMatchObject({
        RoleName: `orders-${stage}-deploy`,
        MaxSessionDuration: 3600,
      });
    }
  });

  it('trusts the branch for unprotected stages and the GitHub environment for protected ones', () => {
    const trust = (b: (typeof built)[keyof typeof built]) =>
      onlyResource(b.template('pipeline'), 'AWS::IAM::Role').Properties!.AssumeRolePolicyDocument.Statement as Statement[];
    const subject = { dev: 'repo:acme/orders:ref:refs/heads/main', staging: 'repo:acme/orders:ref:refs/heads/main', prod: 'repo:acme/orders:environment:prod' };
    for (const stage of STAGES) {
      const [statement, ...rest] = trust(built[stage]);
      expect(rest).toEqual([]);
      expect(statement).toMatchObject({
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': subject[stage] },
        },
      });
    }
    // The configured branch, and the provider imported by its well-known ARN.
    const [prod] = trust(existing.prod);
    expect(prod!.Principal).toEqual({ Federated: arn('iam', `:${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`) });
    expect((prod!.Condition as any).StringEquals['token.actions.githubusercontent.com:sub']).toBe('repo:acme/orders:environment:prod');
  });

  it('may do exactly what spec3 deploy needs, on exactly its own resources', () => {
    const region = `us-east-1:${ACCOUNT}`;
    expect(policyStatements('staging')).toEqual([
      { Sid: 'AssumeCdkBootstrapRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arn('iam', `:${ACCOUNT}:role/cdk-hnb659fds-*-${ACCOUNT}-us-east-1`) },
      { Sid: 'ReadBootstrapVersion', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: arn('ssm', `${region}:parameter/cdk-bootstrap/hnb659fds/version`) },
      {
        Sid: 'StageLock',
        Effect: 'Allow',
        Action: ['ssm:PutParameter', 'ssm:GetParameter', 'ssm:DeleteParameter'],
        Resource: arn('ssm', `${region}:parameter${lockParameter('orders', 'staging')}`),
      },
      {
        Sid: 'ReadStageStacks',
        Effect: 'Allow',
        Action: ['cloudformation:DescribeStacks', 'cloudformation:DescribeStackEvents', 'cloudformation:GetTemplate', 'cloudformation:ListStackResources'],
        Resource: arn('cloudformation', `${region}:stack/orders-staging-*/*`),
      },
      { Sid: 'ReadPublishedValues', Effect: 'Allow', Action: 'ssm:GetParameters', Resource: arn('ssm', `${region}:parameter/spec3/orders/staging/*`) },
    ]);
    const role = onlyResource(built.staging.template('pipeline'), 'AWS::IAM::Role');
    expect(onlyResource(built.staging.template('pipeline'), 'AWS::IAM::Policy').Properties!.Roles).toEqual([{ Ref: role.id }]);
    expect(role.Properties!.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties!.Policies).toBeUndefined();
  });

  it('uses the configured branch, and the bootstrap qualifier of the config', () => {
    const custom = fresh('dev', pipelineConfig({ branch: 'release' }, { qualifier: 'acme1', functions: [] }));
    const text = JSON.stringify(custom.template('pipeline').toJSON());
    expect(text).toContain(':role/cdk-acme1-*-123456789012-us-east-1');
    expect(text).toContain(':parameter/cdk-bootstrap/acme1/version');
    expect(text).not.toContain('hnb659fds');
    expect(text).toContain('"repo:acme/orders:ref:refs/heads/release"');
  });

  it('allows no wildcard action', () => {
    for (const stage of STAGES) {
      const actions = (valuesUnder(built[stage].template('pipeline').toJSON(), 'Action').flat() as string[]);
      expect(actions.length).toBeGreaterThan(0);
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    }
  });

  it('outputs the role ARN and publishes it as deploy-role-arn', () => {
    const template = built.prod.template('pipeline');
    const roleId = onlyResource(template, 'AWS::IAM::Role').id;
    template.hasOutput('DeployRoleArn', { Value: { 'Fn::GetAtt': [roleId, 'Arn'] } });
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/spec3/orders/prod/pipeline/deploy-role-arn',
      Value: { 'Fn::GetAtt': [roleId, 'Arn'] },
    });
  });
});

describe('pipeline stack: checks', () => {
  it.each(STAGES)('%s: the pipeline template passes cfn-lint (created and imported provider)', async (stage) => {
    await expectNoLintErrors([built[stage], ...(stage === 'prod' ? [existing.prod] : [])].map((b) => b.template('pipeline')));
  });

  it.each(STAGES)('%s: cdk-nag finds no unacknowledged error', (stage) => {
    const errors = nagFindings(built[stage]).filter((f) => f.severity === 'error');
    expect(errors.map((e) => `${e.rule} on ${e.paths.join(', ')}: ${e.description}`)).toEqual([]);
  });
});
