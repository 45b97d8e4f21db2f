import { aws_ec2 as ec2, aws_logs as logs, aws_neptune as neptune } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ResolvedStage } from '../../config/resolve.js';
import { dataRemovalPolicy } from '../removal.js';
import { graphName, graphParameterFamily } from './names.js';
import { acknowledgeVpcPeer } from './vpc-peer.js';

/** The port Neptune answers on (Gremlin, openCypher, SPARQL). */
export const GRAPH_PORT = 8182;

export interface GraphProps {
  readonly stage: ResolvedStage;
  /** features.graph.engineVersion. */
  readonly engineVersion: string;
  /** The stage VPC, imported from the network stack's published values. */
  readonly vpc: ec2.IVpc;
  readonly privateSubnetIds: string[];
  /** ARN of the stage KMS key, which encrypts the cluster's storage. */
  readonly keyArn: string;
}

/** Days of automated backups: a week, or the most Neptune keeps in protected stages. */
export const backupRetentionDays = (stage: ResolvedStage): number => (stage.protected ? 35 : 7);

/**
 * A Neptune cluster in the stage's private subnets: storage encrypted with the stage key, IAM
 * authentication, audit logs to CloudWatch, `graph.instances` instances of `graph.instanceClass`
 * (the first is the writer, the others readers spread over the zones by Neptune).
 */
export class GraphCluster extends Construct {
  readonly cluster: neptune.CfnDBCluster;
  readonly instances: neptune.CfnDBInstance[];
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: GraphProps) {
    super(scope, id);
    const { stage } = props;
    const name = graphName({ project: stage.project, stage: stage.name });
    // Everything the cluster stands on goes with it or stays with it: a retained cluster would
    // hold its subnet group, parameter group and security group in use, and their delete fail.
    const removal = dataRemovalPolicy(stage);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      securityGroupName: name,
      description: `Neptune cluster ${name}: port ${GRAPH_PORT} from inside the VPC only`,
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(GRAPH_PORT), 'Neptune from the stage VPC');
    acknowledgeVpcPeer(this.securityGroup);
    this.securityGroup.applyRemovalPolicy(removal);

    const subnetGroup = new neptune.CfnDBSubnetGroup(this, 'SubnetGroup', {
      dbSubnetGroupName: name,
      dbSubnetGroupDescription: `Private subnets of ${name}`,
      subnetIds: props.privateSubnetIds,
    });
    subnetGroup.applyRemovalPolicy(removal);

    // Audit events reach CloudWatch only when the parameter turns them on *and* the cluster exports them.
    const parameters = new neptune.CfnDBClusterParameterGroup(this, 'ParameterGroup', {
      name,
      family: graphParameterFamily(props.engineVersion),
      description: `Parameters of ${name}: audit log on`,
      parameters: { neptune_enable_audit_log: 1 },
    });
    parameters.applyRemovalPolicy(removal);

    // Created ahead of Neptune, which would otherwise create it with no expiry.
    const auditLogs = new logs.LogGroup(this, 'AuditLogs', {
      logGroupName: `/aws/neptune/${name}/audit`,
      retention: stage.logRetentionDays as logs.RetentionDays,
      removalPolicy: removal,
    });

    this.cluster = new neptune.CfnDBCluster(this, 'Cluster', {
      dbClusterIdentifier: name,
      engineVersion: props.engineVersion,
      dbPort: GRAPH_PORT,
      dbSubnetGroupName: subnetGroup.ref,
      vpcSecurityGroupIds: [this.securityGroup.securityGroupId],
      dbClusterParameterGroupName: parameters.ref,
      storageEncrypted: true,
      kmsKeyId: props.keyArn,
      iamAuthEnabled: true,
      backupRetentionPeriod: backupRetentionDays(stage),
      copyTagsToSnapshot: true,
      deletionProtection: stage.protected,
      enableCloudwatchLogsExports: ['audit'],
    });
    this.cluster.node.addDependency(auditLogs);
    this.cluster.applyRemovalPolicy(removal);

    this.instances = Array.from({ length: stage.graph.instances }, (_, i) => {
      const instance = new neptune.CfnDBInstance(this, `Instance${i + 1}`, {
        dbInstanceIdentifier: `${name}-${i + 1}`,
        dbClusterIdentifier: this.cluster.ref,
        dbInstanceClass: stage.graph.instanceClass,
        autoMinorVersionUpgrade: true,
      });
      // The instances stay with a retained cluster, so its data stays reachable after a destroy.
      instance.applyRemovalPolicy(removal);
      return instance;
    });
  }
}
