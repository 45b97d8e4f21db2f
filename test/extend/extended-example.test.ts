import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STAGES } from '../../src/config/presets.js';
import type { Spec3ConfigInput } from '../../src/config/schema.js';
import { loadExtensions, type LoadedExtensions } from '../../src/extend/load.js';
import { buildStage } from '../stack/build.js';
import { expectNoLintErrors } from '../stack/lint.js';
import { nagFindings } from '../stack/nag.js';

const EXAMPLE = path.join(import.meta.dirname, '../../examples/extended');
const config = (): Spec3ConfigInput => JSON.parse(readFileSync(path.join(EXAMPLE, 'spec3.config.json'), 'utf8')) as Spec3ConfigInput;

/**
 * examples/extended with its spec3.extend.ts: every stage passes cdk-nag's AwsSolutions checks
 * (the extension acknowledges, with reasons, what it knowingly does not follow) and cfn-lint, and
 * the extension's resources are in the stacks its hooks extend.
 */
describe('examples/extended', () => {
  let extensions: LoadedExtensions;
  beforeAll(async () => {
    extensions = await loadExtensions(path.join(EXAMPLE, 'spec3.extend.ts'), 'spec3.extend.ts');
  });

  it.each(DEFAULT_STAGES)('%s: no unacknowledged cdk-nag error, no cfn-lint error, the extension resources in place', async (stage) => {
    const built = buildStage(stage, config(), extensions);
    try {
      const errors = nagFindings(built).filter((f) => f.severity === 'error');
      expect(errors.map((e) => `${e.rule} on ${e.paths.join(', ')}: ${e.description}`)).toEqual([]);
      await expectNoLintErrors(built.templates());

      const types = (kind: Parameters<typeof built.template>[0]) =>
        Object.values((built.template(kind).toJSON() as { Resources: Record<string, { Type: string }> }).Resources).map((r) => r.Type);
      expect(types('storage').filter((t) => t === 'AWS::DynamoDB::Table')).toHaveLength(2);
      expect(types('compute')).toContain('AWS::StepFunctions::StateMachine');
      expect(types('api')).toEqual(expect.arrayContaining(['AWS::Cognito::UserPool', 'AWS::ApiGateway::Authorizer']));
      expect(types('integrations')).toContain('AWS::Lambda::EventSourceMapping');
      // Every route but the CORS preflight takes the user pool's token.
      const methods = built.template('api').findResources('AWS::ApiGateway::Method') as Record<string, { Properties: { HttpMethod: string; AuthorizationType: string } }>;
      const auth = Object.values(methods).map((m) => [m.Properties.HttpMethod, m.Properties.AuthorizationType]);
      expect(auth.filter(([m]) => m !== 'OPTIONS').every(([, a]) => a === 'COGNITO_USER_POOLS'), JSON.stringify(auth)).toBe(true);
      expect(auth.filter(([m]) => m !== 'OPTIONS')).toHaveLength(2);
    } finally {
      built.dispose();
    }
  });
});
