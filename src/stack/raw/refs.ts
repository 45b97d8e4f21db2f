import { Fn } from 'aws-cdk-lib';
import type { HandlesOf, StackHandles } from '../handles.js';
import type { StackKind } from '../phases.js';
import type { ParsedRef } from './ref-form.js';

/** One value a reference can stand for: read from the stack's handles; `key` when the stack publishes it already. */
interface RefValue<K extends StackKind> {
  readonly of: (handles: HandlesOf<K>) => string | undefined;
  /** The wiring key the stack publishes this value under already; otherwise `ref-<handle>-<attribute>` is published when needed. */
  readonly key?: string;
}

type RefTable = { readonly [K in StackKind]: Readonly<Record<string, Readonly<Record<string, RefValue<K>>>>> };

/**
 * The values of spec3's own resources raw CloudFormation can use, as
 * `{ "spec3:ref": "<kind>.<handle>.<attribute>" }`, read from each stack's handles
 * (src/stack/handles.ts). Inside the same stack a reference is the resource's own token; from
 * another stack it is read through an SSM parameter the producing stack publishes, under the
 * phase rule. `compute.functions.<name>.<attribute>` is in FUNCTION_REFS. The README lists them.
 */
export const SPEC3_REFS: RefTable = {
  network: {
    vpc: {
      id: { of: (h) => h.vpc.vpcId, key: 'vpc-id' },
      cidr: { of: (h) => h.vpc.vpcCidrBlock, key: 'vpc-cidr' },
      privateSubnetIds: { of: (h) => Fn.join(',', h.vpc.privateSubnets.concat(h.vpc.isolatedSubnets).map((s) => s.subnetId)), key: 'private-subnet-ids' },
      publicSubnetIds: { of: (h) => Fn.join(',', h.vpc.publicSubnets.map((s) => s.subnetId)), key: 'public-subnet-ids' },
    },
    flowLogs: { arn: { of: (h) => h.flowLogs.logGroupArn }, name: { of: (h) => h.flowLogs.logGroupName } },
  },
  security: {
    key: { arn: { of: (h) => h.key.keyArn, key: 'key-arn' }, id: { of: (h) => h.key.keyId } },
    functionBasePolicy: { arn: { of: (h) => h.functionBasePolicy.managedPolicyArn, key: 'function-base-policy-arn' } },
  },
  edge: {
    webAcl: { arn: { of: (h) => h.webAcl.attrArn, key: 'web-acl-arn' } },
    logGroup: { arn: { of: (h) => h.logGroup.logGroupArn }, name: { of: (h) => h.logGroup.logGroupName } },
  },
  pipeline: { deployRole: { arn: { of: (h) => h.deployRole.roleArn, key: 'deploy-role-arn' }, name: { of: (h) => h.deployRole.roleName } } },
  storage: {
    table: {
      arn: { of: (h) => h.table.tableArn, key: 'table-arn' },
      name: { of: (h) => h.table.tableName, key: 'table-name' },
    },
    bucket: {
      arn: { of: (h) => h.bucket.bucketArn, key: 'bucket-arn' },
      name: { of: (h) => h.bucket.bucketName, key: 'bucket-name' },
    },
    accessLogsBucket: { arn: { of: (h) => h.accessLogsBucket.bucketArn }, name: { of: (h) => h.accessLogsBucket.bucketName } },
  },
  data: {
    search: {
      arn: { of: (h) => h.search?.collection.attrArn, key: 'search-collection-arn' },
      endpoint: { of: (h) => h.search?.collection.attrCollectionEndpoint, key: 'search-collection-endpoint' },
      roleArn: { of: (h) => h.search?.accessRole.roleArn, key: 'search-role-arn' },
    },
    graph: {
      endpoint: { of: (h) => h.graph?.cluster.attrEndpoint, key: 'graph-endpoint' },
      readerEndpoint: { of: (h) => h.graph?.cluster.attrReadEndpoint, key: 'graph-reader-endpoint' },
    },
  },
  messaging: {
    workQueue: queueRefs('work-queue-url', 'work-queue-arn', (h) => h.workQueue),
    workDlq: queueRefs(undefined, undefined, (h) => h.workDlq, 'work-dlq-name'),
    functionsDlq: queueRefs(undefined, 'functions-dlq-arn', (h) => h.functionsDlq, 'functions-dlq-name'),
    alertTopic: { arn: { of: (h) => h.alertTopic.topicArn, key: 'alert-topic-arn' }, name: { of: (h) => h.alertTopic.topicName } },
  },
  compute: {},
  api: {
    api: {
      id: { of: (h) => h.restApi?.restApiId ?? h.httpApi?.apiId, key: 'api-id' },
      url: { of: (h) => h.restApi?.url ?? h.httpApi?.apiEndpoint, key: 'api-url' },
    },
    accessLogs: { arn: { of: (h) => h.accessLogs.logGroupArn }, name: { of: (h) => h.accessLogs.logGroupName } },
  },
  service: {
    cluster: { arn: { of: (h) => h.cluster.clusterArn }, name: { of: (h) => h.cluster.clusterName, key: 'cluster-name' } },
    service: { arn: { of: (h) => h.service.serviceArn }, name: { of: (h) => h.service.serviceName, key: 'service-name' } },
    loadBalancer: {
      arn: { of: (h) => h.loadBalancer.loadBalancerArn },
      dnsName: { of: (h) => h.loadBalancer.loadBalancerDnsName },
      fullName: { of: (h) => h.loadBalancer.loadBalancerFullName, key: 'alb-full-name' },
    },
    targetGroup: { arn: { of: (h) => h.targetGroup.targetGroupArn }, fullName: { of: (h) => h.targetGroup.targetGroupFullName, key: 'target-group-full-name' } },
    logGroup: { arn: { of: (h) => h.logGroup.logGroupArn }, name: { of: (h) => h.logGroup.logGroupName } },
  },
  monitoring: { dashboard: { name: { of: (h) => h.dashboard.dashboardName } } },
  integrations: {},
};

function queueRefs(
  urlKey: string | undefined,
  arnKey: string | undefined,
  queue: (h: StackHandles['messaging']) => StackHandles['messaging']['workQueue'],
  nameKey?: string,
): Record<string, RefValue<'messaging'>> {
  return {
    url: { of: (h) => queue(h).queueUrl, ...(urlKey ? { key: urlKey } : {}) },
    arn: { of: (h) => queue(h).queueArn, ...(arnKey ? { key: arnKey } : {}) },
    name: { of: (h) => queue(h).queueName, ...(nameKey ? { key: nameKey } : {}) },
  };
}

/** Short names of handles, as a person would first write them. */
export const HANDLE_ALIASES: Readonly<Partial<Record<StackKind, Readonly<Record<string, string>>>>> = {
  messaging: { queue: 'workQueue', topic: 'alertTopic' },
};

interface FunctionRef {
  readonly of: (handles: StackHandles['compute'], fn: string) => string | undefined;
  /** The wiring key the compute stack publishes this value under already. */
  readonly key?: (fn: string) => string;
}

/** `compute.functions.<name>.<attribute>`: the live alias ARN (what callers invoke), the function's name, its role's ARN. */
export const FUNCTION_REFS: Readonly<Record<string, FunctionRef>> = {
  arn: { of: (h, fn) => h.aliases[fn]?.functionArn, key: (fn) => `fn-${fn}-arn` },
  name: { of: (h, fn) => h.functions[fn]?.functionName, key: (fn) => `fn-${fn}-name` },
  roleArn: { of: (h, fn) => h.roles[fn]?.roleArn },
};

/** What a spec3 reference resolves to in its own stack, and the wiring key another stack reads it under. */
export interface RefTarget {
  readonly value: string;
  readonly key: string;
}

/** The value a spec3 reference stands for in a stack's handles; undefined when the stage has no such value. */
export function refTarget(ref: Extract<ParsedRef, { form: 'spec3' }>, handles: StackHandles[StackKind]): RefTarget | undefined {
  if (ref.function !== undefined) {
    const entry = FUNCTION_REFS[ref.attribute];
    const value = entry?.of(handles as StackHandles['compute'], ref.function);
    if (!entry || value === undefined) return undefined;
    return { value, key: entry.key?.(ref.function) ?? `ref-fn-${ref.function}-${ref.attribute}` };
  }
  const handle = HANDLE_ALIASES[ref.kind]?.[ref.handle] ?? ref.handle;
  const entry = (SPEC3_REFS[ref.kind] as Record<string, Record<string, RefValue<StackKind>>>)[handle]?.[ref.attribute];
  const value = entry?.of(handles as never);
  if (!entry || value === undefined) return undefined;
  return { value, key: entry.key ?? `ref-${handle}-${ref.attribute}` };
}

/** Every reference into a stack of `kind` that this stage can resolve (for messages listing what exists). */
export function refsOf(kind: StackKind, handles: StackHandles[StackKind]): string[] {
  if (kind === 'compute') {
    const h = handles as StackHandles['compute'];
    return Object.keys(h.functions).flatMap((fn) => Object.keys(FUNCTION_REFS).map((a) => `compute.functions.${fn}.${a}`));
  }
  return Object.entries(SPEC3_REFS[kind] as Record<string, Record<string, RefValue<StackKind>>>).flatMap(([handle, attrs]) =>
    Object.entries(attrs)
      .filter(([, v]) => v.of(handles as never) !== undefined)
      .map(([a]) => `${kind}.${handle}.${a}`),
  );
}
