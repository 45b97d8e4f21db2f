import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { Spec3ConfigInput } from '../../../src/config/schema.js';
import { graphParameterFamily } from '../../../src/stack/data/names.js';
import { sampleConfig } from '../../helpers/project.js';
import { buildStage, onlyResource, resourcesOf, ssmRef, useStages, type BuiltStage } from '../build.js';
import { nagFindings } from '../nag.js';
import { expectNoLintErrors } from '../lint.js';

const STAGES = ['dev', 'staging', 'prod'] as const;
type Features = NonNullable<Spec3ConfigInput['features']>;

const withData = (data: Pick<Features, 'search' | 'graph'>): Spec3ConfigInput =>
  sampleConfig({ features: { api: { type: 'rest' }, vpc: true, ...data } });

const plain = useStages(['dev', 'prod'] as const);
const both = useStages(STAGES, () => withData({ search: {}, graph: {} }));
const searchOnly = useStages(['dev'] as const, () => withData({ search: {} }));
const graphOnly = useStages(['dev'] as const, () => withData({ graph: { engineVersion: '1.2.1.0' } }));

const AOSS_TYPES = ['Collection', 'SecurityPolicy', 'AccessPolicy', 'VpcEndpoint'].map((t) => `AWS::OpenSearchServerless::${t}`);
const NEPTUNE_TYPES = ['DBCluster', 'DBInstance', 'DBSubnetGroup', 'DBClusterParameterGroup'].map((t) => `AWS::Neptune::${t}`);

/** Resource types of a template. */
const typesIn = (template: Template): string[] =>
  Object.values((template.toJSON() as { Resources: Record<string, { Type: string }> }).Resources).map((r) => r.Type);

/** Names of the SSM parameters the data stack publishes, without the `/spec3/orders/<stage>/data/` prefix. */
const publishedKeys = (b: BuiltStage): string[] =>
  Object.values(resourcesOf(b.template('data'), 'AWS::SSM::Parameter'))
    .map((p) => p.Properties!.Name as string)
    .map((name) => name.replace(`/spec3/orders/${b.stage.name}/data/`, ''))
    .sort();

/**
 * A policy document held as `Fn::Join` of literal text and references, parsed back to JSON with
 * every reference written as `<Ref:id>` or `<GetAtt:id.attribute>`.
 */
function policyOf(value: unknown): unknown {
  const text =
    typeof value === 'string'
      ? value
      : ((value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1] as unknown[])
          .map((part) => {
            if (typeof part === 'string') return part;
            const p = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
            if (p.Ref) return `<Ref:${p.Ref}>`;
            if (p['Fn::GetAtt']) return `<GetAtt:${p['Fn::GetAtt'].join('.')}>`;
            throw new Error(`unexpected part of a policy: ${JSON.stringify(part)}`);
          })
          .join('');
  return JSON.parse(text);
}

const refText = (template: Template, ssmName: string): string => `<Ref:${ssmRef(template, ssmName).Ref}>`;

describe('data stack: when it exists', () => {
  it('is absent by default: no data stack and no search or graph resource anywhere', () => {
    for (const stage of ['dev', 'prod'] as const) {
      expect(plain[stage].stacks.map((s) => s.kind)).not.toContain('data');
      const types = plain[stage].templates().flatMap(typesIn);
      expect(types.filter((t) => t.startsWith('AWS::OpenSearchServerless::') || t.startsWith('AWS::Neptune::'))).toEqual([]);
    }
  });

  it('is the foundation stack orders-<stage>-data, right after storage, reading the network and security stacks', () => {
    for (const stage of STAGES) {
      const b = both[stage];
      const data = b.stack('data');
      expect(data.stackName).toBe(`orders-${stage}-data`);
      expect(data.phase).toBe('foundation');
      const kinds = b.stacks.map((s) => s.kind);
      expect(kinds.indexOf('data')).toBe(kinds.indexOf('storage') + 1);
      expect(data.dependencies.map((d) => d.stackName).sort()).toEqual([`orders-${stage}-network`, `orders-${stage}-security`]);
    }
  });

  it('search only: the collection and its policies, no Neptune resource, search keys only', () => {
    const b = searchOnly.dev;
    const types = typesIn(b.template('data'));
    expect(types).toEqual(expect.arrayContaining(AOSS_TYPES));
    expect(types.filter((t) => t.startsWith('AWS::Neptune::'))).toEqual([]);
    expect(publishedKeys(b)).toEqual(['search-collection-arn', 'search-collection-endpoint', 'search-role-arn']);
  });

  it('graph only: the cluster and what it stands on, no OpenSearch resource, graph keys only', () => {
    const b = graphOnly.dev;
    const types = typesIn(b.template('data'));
    expect(types).toEqual(expect.arrayContaining(NEPTUNE_TYPES));
    expect(types.filter((t) => t.startsWith('AWS::OpenSearchServerless::'))).toEqual([]);
    expect(publishedKeys(b)).toEqual(['graph-endpoint', 'graph-port', 'graph-reader-endpoint']);
  });

  it('both: publishes every key through SSM, with the values of the collection and the cluster', () => {
    const b = both.dev;
    const template = b.template('data');
    expect(publishedKeys(b)).toEqual([
      'graph-endpoint',
      'graph-port',
      'graph-reader-endpoint',
      'search-collection-arn',
      'search-collection-endpoint',
      'search-role-arn',
    ]);
    const collection = onlyResource(template, 'AWS::OpenSearchServerless::Collection');
    const cluster = onlyResource(template, 'AWS::Neptune::DBCluster');
    const role = onlyResource(template, 'AWS::IAM::Role');
    const value = (key: string) =>
      onlyResource(template, 'AWS::SSM::Parameter', { Name: `/spec3/orders/dev/data/${key}` }).Properties!.Value;
    expect(value('search-collection-endpoint')).toEqual({ 'Fn::GetAtt': [collection.id, 'CollectionEndpoint'] });
    expect(value('search-collection-arn')).toEqual({ 'Fn::GetAtt': [collection.id, 'Arn'] });
    expect(value('search-role-arn')).toEqual({ 'Fn::GetAtt': [role.id, 'Arn'] });
    expect(value('graph-endpoint')).toEqual({ 'Fn::GetAtt': [cluster.id, 'Endpoint'] });
    expect(value('graph-reader-endpoint')).toEqual({ 'Fn::GetAtt': [cluster.id, 'ReadEndpoint'] });
    expect(value('graph-port')).toBe('8182');
  });

  it('the network stack publishes the VPC CIDR the data stack admits traffic from', () => {
    both.dev.template('network').hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/spec3/orders/dev/network/vpc-cidr',
      Value: { 'Fn::GetAtt': [onlyResource(both.dev.template('network'), 'AWS::EC2::VPC').id, 'CidrBlock'] },
    });
  });
});

describe('data stack: search collection', () => {
  it('is a VECTORSEARCH collection named <project>-<stage>, standby replicas off in dev and staging, on in prod', () => {
    for (const [stage, replicas] of [['dev', 'DISABLED'], ['staging', 'DISABLED'], ['prod', 'ENABLED']] as const) {
      const collection = onlyResource(both[stage].template('data'), 'AWS::OpenSearchServerless::Collection');
      expect(collection.Properties).toMatchObject({ Name: `orders-${stage}`, Type: 'VECTORSEARCH', StandbyReplicas: replicas });
    }
  });

  it('is encrypted with the stage KMS key by an encryption policy created before it', () => {
    const template = both.dev.template('data');
    const policy = onlyResource(template, 'AWS::OpenSearchServerless::SecurityPolicy', { Type: 'encryption' });
    expect(policy.Properties!.Name).toBe('orders-dev');
    expect(policyOf(policy.Properties!.Policy)).toEqual({
      Rules: [{ ResourceType: 'collection', Resource: ['collection/orders-dev'] }],
      AWSOwnedKey: false,
      KmsARN: refText(template, '/spec3/orders/dev/security/key-arn'),
    });
    expect(onlyResource(template, 'AWS::OpenSearchServerless::Collection').DependsOn).toContain(policy.id);
  });

  it('is reachable only through its VPC endpoint: a network policy with no public access', () => {
    const template = both.dev.template('data');
    const endpoint = onlyResource(template, 'AWS::OpenSearchServerless::VpcEndpoint');
    const policy = onlyResource(template, 'AWS::OpenSearchServerless::SecurityPolicy', { Type: 'network' });
    expect(policyOf(policy.Properties!.Policy)).toEqual([
      {
        Description: 'Collection orders-dev: only from the stage VPC endpoint',
        Rules: [{ ResourceType: 'collection', Resource: ['collection/orders-dev'] }],
        AllowFromPublic: false,
        SourceVPCEs: [`<GetAtt:${endpoint.id}.Id>`],
      },
    ]);
    expect(onlyResource(template, 'AWS::OpenSearchServerless::Collection').DependsOn).toContain(policy.id);
  });

  it('places the VPC endpoint in the private subnets, behind a group that admits HTTPS from the VPC CIDR only', () => {
    const template = both.dev.template('data');
    const endpoint = onlyResource(template, 'AWS::OpenSearchServerless::VpcEndpoint');
    const group = onlyResource(template, 'AWS::EC2::SecurityGroup', { GroupName: 'orders-dev-search-endpoint' });
    expect(endpoint.Properties).toEqual({
      Name: 'orders-dev',
      VpcId: ssmRef(template, '/spec3/orders/dev/network/vpc-id'),
      SubnetIds: { 'Fn::Split': [',', ssmRef(template, '/spec3/orders/dev/network/private-subnet-ids')] },
      SecurityGroupIds: [{ 'Fn::GetAtt': [group.id, 'GroupId'] }],
    });
    expect(group.Properties!.SecurityGroupIngress).toEqual([
      {
        CidrIp: ssmRef(template, '/spec3/orders/dev/network/vpc-cidr'),
        Description: 'HTTPS from the stage VPC',
        FromPort: 443,
        IpProtocol: 'tcp',
        ToPort: 443,
      },
    ]);
    // No egress: the endpoint only answers.
    expect(group.Properties!.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })]);
  });

  it('grants data access to one principal, the stage search role, with named permissions (no aoss:*)', () => {
    const template = both.dev.template('data');
    const role = onlyResource(template, 'AWS::IAM::Role', { RoleName: 'orders-dev-search' });
    const policy = onlyResource(template, 'AWS::OpenSearchServerless::AccessPolicy');
    expect(policy.Properties).toMatchObject({ Name: 'orders-dev', Type: 'data' });
    expect(policyOf(policy.Properties!.Policy)).toEqual([
      {
        Description: 'Collection orders-dev: indexes and documents, for the stage search role',
        Rules: [
          {
            ResourceType: 'collection',
            Resource: ['collection/orders-dev'],
            Permission: ['aoss:CreateCollectionItems', 'aoss:DescribeCollectionItems', 'aoss:UpdateCollectionItems'],
          },
          {
            ResourceType: 'index',
            Resource: ['index/orders-dev/*'],
            Permission: ['aoss:CreateIndex', 'aoss:DeleteIndex', 'aoss:DescribeIndex', 'aoss:UpdateIndex', 'aoss:ReadDocument', 'aoss:WriteDocument'],
          },
        ],
        Principal: [`<GetAtt:${role.id}.Arn>`],
      },
    ]);
  });

  it('lets only roles of the stage assume the search role, which may call the collection API and nothing else', () => {
    const template = both.dev.template('data');
    const role = onlyResource(template, 'AWS::IAM::Role', { RoleName: 'orders-dev-search' });
    expect(role.Properties!.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:root']] } },
        Condition: { ArnLike: { 'aws:PrincipalArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:role/orders-dev-*']] } } },
      },
    ]);
    const collection = onlyResource(template, 'AWS::OpenSearchServerless::Collection');
    const policy = onlyResource(template, 'AWS::IAM::Policy');
    expect(policy.Properties!.Roles).toEqual([{ Ref: role.id }]);
    expect(policy.Properties!.PolicyDocument.Statement).toEqual([
      { Sid: 'CollectionApi', Action: 'aoss:APIAccessAll', Effect: 'Allow', Resource: { 'Fn::GetAtt': [collection.id, 'Arn'] } },
    ]);
  });
  it('retains the collection with its policies, endpoint and role in prod, and deletes them elsewhere', () => {
    for (const stage of STAGES) {
      const template = both[stage].template('data');
      const search = [...AOSS_TYPES, 'AWS::IAM::Role']
        .flatMap((type) => Object.values(resourcesOf(template, type)))
        .concat(onlyResource(template, 'AWS::EC2::SecurityGroup', { GroupName: `orders-${stage}-search-endpoint` }));
      // Collection, encryption and network policy, data access policy, endpoint, role, group.
      expect(search).toHaveLength(7);
      expect(new Set(search.map((r) => r.DeletionPolicy))).toEqual(new Set([stage === 'prod' ? 'Retain' : 'Delete']));
    }
  });
});

describe('data stack: graph cluster', () => {
  it('sizes the instances per stage: dev and staging 1 x db.t4g.medium, prod 2 x db.r6g.large', () => {
    for (const [stage, count, instanceClass] of [['dev', 1, 'db.t4g.medium'], ['staging', 1, 'db.t4g.medium'], ['prod', 2, 'db.r6g.large']] as const) {
      const template = both[stage].template('data');
      const cluster = onlyResource(template, 'AWS::Neptune::DBCluster');
      const instances = Object.values(resourcesOf(template, 'AWS::Neptune::DBInstance')).map((i) => i.Properties);
      expect(instances).toEqual(
        Array.from({ length: count }, (_, i) => ({
          DBInstanceIdentifier: `orders-${stage}-graph-${i + 1}`,
          DBClusterIdentifier: { Ref: cluster.id },
          DBInstanceClass: instanceClass,
          AutoMinorVersionUpgrade: true,
          Tags: expect.any(Array),
        })),
      );
    }
  });

  it('encrypts storage with the stage key, turns IAM authentication on and exports audit logs', () => {
    for (const stage of STAGES) {
      const template = both[stage].template('data');
      const cluster = onlyResource(template, 'AWS::Neptune::DBCluster');
      expect(cluster.Properties).toMatchObject({
        DBClusterIdentifier: `orders-${stage}-graph`,
        EngineVersion: '1.3.2.1',
        DBPort: 8182,
        StorageEncrypted: true,
        KmsKeyId: ssmRef(template, `/spec3/orders/${stage}/security/key-arn`),
        IamAuthEnabled: true,
        EnableCloudwatchLogsExports: ['audit'],
        CopyTagsToSnapshot: true,
      });
      const parameters = onlyResource(template, 'AWS::Neptune::DBClusterParameterGroup');
      expect(parameters.Properties).toMatchObject({ Family: 'neptune1.3', Parameters: { neptune_enable_audit_log: 1 } });
      expect(cluster.Properties!.DBClusterParameterGroupName).toEqual({ Ref: parameters.id });
      const logs = onlyResource(template, 'AWS::Logs::LogGroup', { LogGroupName: `/aws/neptune/orders-${stage}-graph/audit` });
      expect(logs.Properties!.RetentionInDays).toBe(stage === 'prod' ? 365 : stage === 'dev' ? 7 : 30);
      expect(cluster.DependsOn).toContain(logs.id);
    }
  });

  it('keeps backups 7 days, 35 in prod; deletion protection and retained resources in prod only', () => {
    for (const stage of STAGES) {
      const template = both[stage].template('data');
      const prod = stage === 'prod';
      const cluster = onlyResource(template, 'AWS::Neptune::DBCluster');
      expect(cluster.Properties).toMatchObject({ BackupRetentionPeriod: prod ? 35 : 7, DeletionProtection: prod });
      const graphResources = [...NEPTUNE_TYPES, 'AWS::Logs::LogGroup']
        .flatMap((type) => Object.values(resourcesOf(template, type)))
        .concat(onlyResource(template, 'AWS::EC2::SecurityGroup', { GroupName: `orders-${stage}-graph` }));
      expect(graphResources.length).toBe(prod ? 7 : 6);
      expect(new Set(graphResources.map((r) => r.DeletionPolicy))).toEqual(new Set([prod ? 'Retain' : 'Delete']));
    }
  });

  it('sits in the private subnets, behind a group that admits port 8182 from the VPC CIDR only', () => {
    const template = both.dev.template('data');
    const subnetGroup = onlyResource(template, 'AWS::Neptune::DBSubnetGroup');
    expect(subnetGroup.Properties!.SubnetIds).toEqual({ 'Fn::Split': [',', ssmRef(template, '/spec3/orders/dev/network/private-subnet-ids')] });
    const group = onlyResource(template, 'AWS::EC2::SecurityGroup', { GroupName: 'orders-dev-graph' });
    expect(group.Properties!.VpcId).toEqual(ssmRef(template, '/spec3/orders/dev/network/vpc-id'));
    expect(group.Properties!.SecurityGroupIngress).toEqual([
      {
        CidrIp: ssmRef(template, '/spec3/orders/dev/network/vpc-cidr'),
        Description: 'Neptune from the stage VPC',
        FromPort: 8182,
        IpProtocol: 'tcp',
        ToPort: 8182,
      },
    ]);
    expect(onlyResource(template, 'AWS::Neptune::DBCluster').Properties).toMatchObject({
      DBSubnetGroupName: { Ref: subnetGroup.id },
      VpcSecurityGroupIds: [{ 'Fn::GetAtt': [group.id, 'GroupId'] }],
    });
  });

  it('takes the engine version from features.graph, with the parameter family of its line', () => {
    const template = graphOnly.dev.template('data');
    expect(onlyResource(template, 'AWS::Neptune::DBCluster').Properties!.EngineVersion).toBe('1.2.1.0');
    expect(onlyResource(template, 'AWS::Neptune::DBClusterParameterGroup').Properties!.Family).toBe('neptune1.2');
    expect([graphParameterFamily('1.1.1.0'), graphParameterFamily('1.0.5.1'), graphParameterFamily('1.4.0.0')]).toEqual(['neptune1', 'neptune1', 'neptune1.4']);
  });

  it('refuses a project name Neptune cannot take as an identifier, naming the field and the fix', () => {
    const config = { ...withData({ graph: {} }), project: 'orders--v2' };
    expect(() => buildStage('dev', config)).toThrow(/spec3\.config\.json: features\.graph: the cluster identifier "orders--v2-dev-graph"/);
  });
});

describe('data stack: checks', () => {
  it('passes cfn-lint with zero errors for dev, staging and prod', async () => {
    await expectNoLintErrors(STAGES.map((stage) => both[stage].template('data')));
  });

  it.each(STAGES)('%s: cdk-nag AwsSolutions finds no unacknowledged error in the data stack', (stage) => {
    const findings = nagFindings(both[stage]).filter((f) => f.severity === 'error' && f.paths.some((p) => p.startsWith(`orders-${stage}-data/`)));
    expect(findings.map((f) => `${f.rule} on ${f.paths.join(', ')}: ${f.description}`)).toEqual([]);
  });
});
