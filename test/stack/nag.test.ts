import { describe, expect, it } from 'vitest';
import { DEFAULT_STAGES } from '../../src/config/presets.js';
import type { Spec3ConfigInput } from '../../src/config/schema.js';
import { useStages, valuesUnder, type BuiltStage, type StageName } from './build.js';
import { fullExample, initConfig, nagFindings, type Finding } from './nag.js';
import { rawConfig } from './raw/config.js';

/** Configs whose every stage must pass the AWS Solutions checks; add a row to cover another one. */
export const NAG_CASES: readonly { readonly name: string; readonly config: () => Spec3ConfigInput }[] = [
  { name: 'default project (init --yes)', config: initConfig },
  { name: 'full-feature example (examples/full)', config: fullExample },
  { name: 'raw CloudFormation extensions (test/stack/raw/config.ts)', config: rawConfig },
];

/** `rule: count` per severity, for a readable failure message and the printed summary. */
function countByRule(findings: readonly Finding[], severity: Finding['severity']): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings.filter((x) => x.severity === severity)) counts[f.rule] = (counts[f.rule] ?? 0) + f.paths.length;
  return counts;
}

for (const nagCase of NAG_CASES) {
  describe(`cdk-nag AwsSolutions: ${nagCase.name}`, () => {
    const built = useStages(DEFAULT_STAGES, nagCase.config);

    it.each(DEFAULT_STAGES)('%s has no unacknowledged error', (stage) => {
      const findings = nagFindings(built[stage]);
      const errors = findings.filter((f) => f.severity === 'error');
      const warnings = countByRule(findings, 'warning');
      console.log(
        `cdk-nag ${nagCase.name} ${stage}: errors ${JSON.stringify(countByRule(findings, 'error'))} warnings ${JSON.stringify(warnings)}`,
      );
      expect(errors.map((e) => `${e.rule} on ${e.paths.join(', ')}: ${e.description}`)).toEqual([]);
      // A stage with waf puts its REST API stage behind the web ACL, so "REST API stage without WAF" is gone.
      if (built[stage].stage.waf) expect(warnings['AwsSolutions-APIG3']).toBeUndefined();
    });
  });
}

type Json = Record<string, any>;
type Statement = { Effect?: string; Action?: unknown; Condition?: Json };

/** Every `{ Ref: id }` inside a JSON tree, as ids. */
const refsIn = (node: unknown): string[] => valuesUnder(node, 'Ref').filter((r): r is string => typeof r === 'string');

// Shapes of credentials that must never be written into a template: AWS access key ids, PEM private
// keys, GitHub / Slack / Stripe tokens, and a secret-looking name given a literal value.
const SECRET_VALUES = [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, /\bgh[pousr]_[A-Za-z0-9]{20,}/, /\bxox[abpr]-[A-Za-z0-9-]{10,}/, /\bsk_live_[A-Za-z0-9]{10,}/];
const SECRET_NAME = /pass(word)?|secret|token|api[_-]?key|private[_-]?key|credential/i;

for (const nagCase of NAG_CASES) {
  describe(`security invariants: ${nagCase.name}`, () => {
    const built = useStages(DEFAULT_STAGES, nagCase.config);
    const each = (stage: StageName) => built[stage].stacks.map((s) => ({ stack: s.stackName, template: built[stage].template(s.kind).toJSON() as Json }));
    const resources = (stage: StageName, type: string) =>
      each(stage).flatMap(({ stack, template }) =>
        Object.entries((template.Resources ?? {}) as Record<string, Json>)
          .filter(([, r]) => r.Type === type)
          .map(([id, r]) => ({ stack, id, template, properties: (r.Properties ?? {}) as Json })),
      );

    it.each(DEFAULT_STAGES)('%s: no policy statement allows every action', (stage) => {
      const wildcards = each(stage).flatMap(({ stack, template }) =>
        (valuesUnder(template.Resources, 'Statement').flat() as Statement[])
          .filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('*'))
          .map((s) => `${stack}: ${JSON.stringify(s)}`),
      );
      expect(wildcards).toEqual([]);
    });

    it.each(DEFAULT_STAGES)('%s: no secret value in any template, output, parameter or environment', (stage) => {
      const leaks: string[] = [];
      for (const { stack, template } of each(stage)) {
        const text = JSON.stringify(template);
        for (const pattern of SECRET_VALUES) if (pattern.test(text)) leaks.push(`${stack}: matches ${pattern}`);
        const named: [string, unknown][] = [
          ...Object.entries((template.Outputs ?? {}) as Json).map(([k, o]) => [k, (o as Json).Value] as [string, unknown]),
          ...Object.entries((template.Parameters ?? {}) as Json).map(([k, p]) => [k, (p as Json).Default] as [string, unknown]),
          ...(valuesUnder(template.Resources, 'Variables') as Json[]).flatMap((v) => Object.entries(v)),
        ];
        for (const [name, value] of named) {
          if (SECRET_NAME.test(name) && typeof value === 'string') leaks.push(`${stack}: ${name} holds a literal`);
        }
      }
      expect(leaks).toEqual([]);
    });

    it.each(DEFAULT_STAGES)('%s: every data store is encrypted at rest', (stage) => {
      const tables = resources(stage, 'AWS::DynamoDB::Table');
      const buckets = resources(stage, 'AWS::S3::Bucket');
      const queues = resources(stage, 'AWS::SQS::Queue');
      const topics = resources(stage, 'AWS::SNS::Topic');
      for (const found of [tables, buckets, queues, topics]) expect(found.length).toBeGreaterThan(0);
      // A config that asks for the optional stores must have them, or the checks below would pass vacuously.
      const features = nagCase.config().features ?? {};
      if (features.graph) expect(resources(stage, 'AWS::Neptune::DBCluster').length).toBeGreaterThan(0);
      if (features.search) expect(resources(stage, 'AWS::OpenSearchServerless::Collection').length).toBeGreaterThan(0);
      if (features.service?.secrets?.length) expect(resources(stage, 'AWS::SecretsManager::Secret').length).toBeGreaterThan(0);

      const unencrypted = [
        ...tables.filter((t) => t.properties.SSESpecification?.SSEEnabled !== true || !t.properties.SSESpecification?.KMSMasterKeyId),
        ...buckets.filter((b) => !(b.properties.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.SSEAlgorithm)),
        ...queues.filter((q) => !q.properties.KmsMasterKeyId && q.properties.SqsManagedSseEnabled !== true),
        ...topics.filter((t) => !t.properties.KmsMasterKeyId),
        // The optional data stores (examples/full): graph, secrets, search collections.
        ...resources(stage, 'AWS::Neptune::DBCluster').filter((c) => c.properties.StorageEncrypted !== true || !c.properties.KmsKeyId),
        ...resources(stage, 'AWS::SecretsManager::Secret').filter((x) => !x.properties.KmsKeyId),
        ...resources(stage, 'AWS::OpenSearchServerless::Collection').filter(
          (c) => !resources(stage, 'AWS::OpenSearchServerless::SecurityPolicy').some((p) => p.stack === c.stack && p.properties.Type === 'encryption'),
        ),
      ];
      expect(unencrypted.map((r) => `${r.stack}/${r.id}`)).toEqual([]);
    });

    it.each(DEFAULT_STAGES)('%s: every bucket blocks public access', (stage) => {
      const open = resources(stage, 'AWS::S3::Bucket').filter(
        (b) =>
          !['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].every(
            (k) => b.properties.PublicAccessBlockConfiguration?.[k] === true,
          ),
      );
      expect(open.map((b) => `${b.stack}/${b.id}`)).toEqual([]);
    });

    it.each(DEFAULT_STAGES)('%s: every bucket, queue and topic refuses requests without TLS', (stage) => {
      const policies = [
        ...resources(stage, 'AWS::S3::BucketPolicy'),
        ...resources(stage, 'AWS::SQS::QueuePolicy'),
        ...resources(stage, 'AWS::SNS::TopicPolicy'),
      ];
      const tlsOnly = new Set(
        policies
          .filter(({ properties }) =>
            (valuesUnder(properties.PolicyDocument, 'Statement').flat() as Statement[]).some(
              (s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
            ),
          )
          .flatMap(({ stack, properties }) =>
            refsIn([properties.Bucket, properties.Queues, properties.Topics]).map((id) => `${stack}/${id}`),
          ),
      );
      const stores = ['AWS::S3::Bucket', 'AWS::SQS::Queue', 'AWS::SNS::Topic'].flatMap((type) => resources(stage, type));
      expect(stores.map((r) => `${r.stack}/${r.id}`).filter((id) => !tlsOnly.has(id))).toEqual([]);
    });
  });
}
