import { Fn, aws_ec2 as ec2 } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Spec3Config } from '../../config/schema.js';
import { GraphCluster, GRAPH_PORT } from '../data/graph.js';
import { SearchCollection } from '../data/search.js';
import type { StackHandles } from '../handles.js';
import { Spec3Stack, type StackInput } from '../spec3-stack.js';

export interface DataStackInput extends StackInput {
  readonly features: Spec3Config['features'];
}


/**
 * Phase foundation. Opt-in data services in the stage VPC: an OpenSearch Serverless vector search
 * collection (features.search) and a Neptune graph cluster (features.graph), both encrypted with
 * the stage key and reachable from inside the VPC only.
 */
export class DataStack extends Spec3Stack {
  readonly handles: StackHandles['data'];

  constructor(scope: Construct, input: DataStackInput) {
    super(scope, 'data', input, 'Search collection and graph database');
    const { stage, features } = input;
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: this.wiring.consume(this, 'network', 'vpc-id'),
      vpcCidrBlock: this.wiring.consume(this, 'network', 'vpc-cidr'),
      availabilityZones: this.availabilityZones,
    });
    const privateSubnetIds = Fn.split(',', this.wiring.consume(this, 'network', 'private-subnet-ids'));
    const keyArn = this.wiring.consume(this, 'security', 'key-arn');

    let search: SearchCollection | undefined;
    let graph: GraphCluster | undefined;
    if (features.search) {
      search = new SearchCollection(this, 'Search', { stage, vpc, privateSubnetIds, keyArn });
      this.wiring.publish(this, 'search-collection-endpoint', search.collection.attrCollectionEndpoint);
      this.wiring.publish(this, 'search-collection-arn', search.collection.attrArn);
      this.wiring.publish(this, 'search-role-arn', search.accessRole.roleArn, 'Role to assume for data access to the search collection');
    }
    if (features.graph) {
      graph = new GraphCluster(this, 'Graph', { stage, engineVersion: features.graph.engineVersion, vpc, privateSubnetIds, keyArn });
      this.wiring.publish(this, 'graph-endpoint', graph.cluster.attrEndpoint);
      this.wiring.publish(this, 'graph-reader-endpoint', graph.cluster.attrReadEndpoint);
      // The cluster is created on this port (dbPort), so the value is known without asking it.
      this.wiring.publish(this, 'graph-port', String(GRAPH_PORT));
    }
    this.handles = { search, graph };
  }
}
