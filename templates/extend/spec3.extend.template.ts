/**
 * Extensions of {{project}}: what spec3.config.json does not name, added to spec3's own stacks so
 * it deploys in the same phases and goes through the same diff, drift, destroy and checks.
 *
 * Each hook is optional and runs right after spec3 builds that stack. It gets:
 *   stack      the stack; new constructs go here
 *   stage      the resolved stage settings (name, account, region, protected, retainData, ...)
 *   resources  spec3's own resources of the stack (storage: table, bucket; compute: functions; api: restApi / httpApi; ...)
 *   publish    publish(name, valueOrConstruct): readable by this and later phases (through SSM)
 *   consume    consume(kind, name): what an earlier (or the same) phase published
 * Stack kinds by phase: foundation: network, security, storage, messaging, pipeline, edge, data;
 * app: compute, api, service, monitoring; integrations: integrations. Reading from a later phase
 * fails at synth. See the README's "Extensions" section and examples/extended in spec3's repository.
 */
import { defineExtensions } from 'spec3/extend';
// import { RemovalPolicy, dynamodb, iam } from 'spec3/extend';

export default defineExtensions({
  // A second table, published for the functions:
  //
  // storage({ stack, stage, publish }) {
  //   const audit = new dynamodb.Table(stack, 'AuditTable', {
  //     tableName: `${stage.project}-${stage.name}-audit`,
  //     partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  //     billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  //     pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: stage.pointInTimeRecovery },
  //     removalPolicy: stage.protected || stage.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  //   });
  //   publish('audit-table', audit);
  // },
  //
  // ...read by a function (functions by their name in spec3.config.json):
  //
  // compute({ functions, consume }) {
  //   const audit = consume<dynamodb.ITable>('storage', 'audit-table');
  //   functions.api!.addEnvironment('AUDIT_TABLE_NAME', audit.tableName);
  //   functions.api!.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [audit.tableArn] }));
  // },
});
