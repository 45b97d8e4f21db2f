import { CfnResource, Stack, aws_ec2 as ec2, aws_iam as iam, aws_opensearchserverless as aoss } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ResolvedStage } from '../../config/resolve.js';
import { prefix } from '../naming.js';
import { dataRemovalPolicy } from '../removal.js';
import { acknowledgeVpcPeer } from './vpc-peer.js';
import { dataAccessPolicy, encryptionPolicy, networkPolicy } from './search-policies.js';
import { searchName } from './names.js';

export interface SearchProps {
  readonly stage: ResolvedStage;
  /** The stage VPC, imported from the network stack's published values. */
  readonly vpc: ec2.IVpc;
  readonly privateSubnetIds: string[];
  /** ARN of the stage KMS key, which encrypts the collection. */
  readonly keyArn: string;
}

/**
 * An OpenSearch Serverless vector search collection, reachable only through a VPC endpoint in the
 * stage's private subnets, encrypted with the stage key.
 *
 * Data access: the functions' roles are created in the app phase, after this stack, so the data
 * access policy cannot name them. It names one role of this stack, `<project>-<stage>-search`,
 * which holds `aoss:APIAccessAll` on the collection; the roles of the stage (names starting with
 * `<project>-<stage>-`) may assume it when their own IAM policy allows `sts:AssumeRole` on it.
 * So two gates stay: the caller's IAM policy, and the one principal the collection trusts.
 */
export class SearchCollection extends Construct {
  readonly collection: aoss.CfnCollection;
  readonly vpcEndpoint: aoss.CfnVpcEndpoint;
  readonly securityGroup: ec2.SecurityGroup;
  readonly accessRole: iam.Role;

  constructor(scope: Construct, id: string, props: SearchProps) {
    super(scope, id);
    const { stage } = props;
    const scopeName = { project: stage.project, stage: stage.name };
    const name = searchName(scopeName);
    const stack = Stack.of(this);

    this.securityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: props.vpc,
      securityGroupName: `${prefix(scopeName)}-search-endpoint`,
      description: `OpenSearch Serverless endpoint of ${name}: HTTPS from inside the VPC only`,
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(443), 'HTTPS from the stage VPC');
    acknowledgeVpcPeer(this.securityGroup);

    this.vpcEndpoint = new aoss.CfnVpcEndpoint(this, 'VpcEndpoint', {
      name,
      vpcId: props.vpc.vpcId,
      subnetIds: props.privateSubnetIds,
      securityGroupIds: [this.securityGroup.securityGroupId],
    });

    const encryption = new aoss.CfnSecurityPolicy(this, 'EncryptionPolicy', {
      name,
      type: 'encryption',
      description: `Encrypts ${name} with the stage KMS key`,
      policy: stack.toJsonString(encryptionPolicy(name, props.keyArn)),
    });
    const network = new aoss.CfnSecurityPolicy(this, 'NetworkPolicy', {
      name,
      type: 'network',
      description: `Reaches ${name} only through its VPC endpoint`,
      policy: stack.toJsonString(networkPolicy(name, this.vpcEndpoint.attrId)),
    });

    this.collection = new aoss.CfnCollection(this, 'Collection', {
      name,
      type: 'VECTORSEARCH',
      description: `Vector search of ${stage.project} (${stage.name})`,
      standbyReplicas: stage.search.standbyReplicas ? 'ENABLED' : 'DISABLED',
    });
    // A collection is created with the encryption policy that matches it then, and keeps it:
    // both policies must exist first.
    this.collection.addResourceDependency(encryption, 'encrypted under this policy from creation');
    this.collection.addResourceDependency(network, 'reachable only through the endpoint from creation');

    this.accessRole = new iam.Role(this, 'AccessRole', {
      roleName: `${prefix(scopeName)}-search`,
      description: `Data access to the ${name} search collection; assumed by the stage's function roles`,
      assumedBy: new iam.AccountPrincipal(stack.account).withConditions({
        ArnLike: { 'aws:PrincipalArn': `arn:${stack.partition}:iam::${stack.account}:role/${prefix(scopeName)}-*` },
      }),
    });
    this.accessRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CollectionApi',
        actions: ['aoss:APIAccessAll'],
        resources: [this.collection.attrArn],
      }),
    );

    new aoss.CfnAccessPolicy(this, 'DataAccessPolicy', {
      name,
      type: 'data',
      description: `Indexes and documents of ${name}, for the role ${prefix(scopeName)}-search`,
      policy: stack.toJsonString(dataAccessPolicy(name, this.accessRole.roleArn)),
    });

    // A retained collection keeps what it was created under and reached through: its policies,
    // endpoint and role stay with it, so a kept collection is still readable after a destroy.
    const removal = dataRemovalPolicy(stage);
    for (const child of this.node.findAll()) if (child instanceof CfnResource) child.applyRemovalPolicy(removal);
  }
}
