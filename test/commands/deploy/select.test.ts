import type { Spec3Error } from '../../../src/errors.js';
import { describe, expect, it } from 'vitest';
import type { AssemblyStack } from '../../../src/aws/assembly.js';
import type { DeployedStack } from '../../../src/aws/cfn/stacks.js';
import { checkPrerequisites } from '../../../src/commands/deploy/select.js';
import { selectStacks } from '../../../src/commands/select-stacks.js';
import type { Phase } from '../../../src/stack/phases.js';

const stack = (kind: string, phase: Phase, dependsOn: string[] = []): AssemblyStack => ({
  name: `demo-dev-${kind}`,
  phase,
  account: '123456789012',
  region: 'us-east-1',
  templateFile: `/x/${kind}.json`,
  tags: {},
  terminationProtection: false,
  dependsOn: dependsOn.map((d) => `demo-dev-${d}`),
  assetManifests: [],
  requiresBootstrapVersion: 6,
});
const all = [
  stack('network', 'foundation'),
  stack('storage', 'foundation'),
  stack('compute', 'app', ['storage']),
  stack('api', 'app', ['compute']),
  stack('integrations', 'integrations', ['compute', 'storage']),
];
const deployed = (status: string): DeployedStack => ({
  name: 'x',
  id: 'x',
  status,
  terminationProtection: false,
  tags: {},
  parameters: {},
  outputs: {},
});

describe('selectStacks', () => {
  it('selects a phase, or stacks by full name or kind', () => {
    expect(selectStacks(all, { phase: 'app' }, 'dev').map((s) => s.name)).toEqual(['demo-dev-compute', 'demo-dev-api']);
    expect(selectStacks(all, { stacks: ['api', 'demo-dev-network'] }, 'dev').map((s) => s.name)).toEqual([
      'demo-dev-network',
      'demo-dev-api',
    ]);
  });

  it('names the phases and stacks that exist when a flag names none', () => {
    expect(() => selectStacks(all, { phase: 'later' }, 'dev')).toThrow('Unknown phase "later".');
    expect(() => selectStacks(all, { stacks: ['cache'] }, 'dev')).toThrow(/--stack cache: stage dev has no stack "cache"/);
  });
});

const plain = { env: {} };

describe('checkPrerequisites', () => {
  it('hints the deploy that fixes it for the same target, started the way this run was', () => {
    const states = new Map([['demo-dev-network', deployed('CREATE_COMPLETE')]]);
    const underNpx = { env: { npm_lifecycle_script: 'spec3' }, aws: { local: true } };
    const error = (() => {
      try {
        checkPrerequisites(all, selectStacks(all, { phase: 'app' }, 'dev'), states, 'dev', underNpx);
      } catch (e) {
        return e as Spec3Error;
      }
    })();
    expect(error?.hint).toBe('Run `npx spec3 deploy dev --phase foundation --local` (or `npx spec3 deploy dev --local` for every phase in order).');
  });

  it('refuses a phase whose earlier phase is not deployed, naming it and the missing stacks', () => {
    const states = new Map([['demo-dev-network', deployed('CREATE_COMPLETE')]]);
    expect(() => checkPrerequisites(all, selectStacks(all, { phase: 'app' }, 'dev'), states, 'dev', plain)).toThrow(
      'Phase app needs phase foundation deployed first; not deployed: demo-dev-storage (not created).',
    );
  });

  it('counts a rolled-back stack as not deployed', () => {
    const states = new Map([
      ['demo-dev-network', deployed('CREATE_COMPLETE')],
      ['demo-dev-storage', deployed('ROLLBACK_COMPLETE')],
    ]);
    expect(() => checkPrerequisites(all, selectStacks(all, { phase: 'app' }, 'dev'), states, 'dev', plain)).toThrow(
      'demo-dev-storage (ROLLBACK_COMPLETE)',
    );
  });

  it('accepts earlier phases deployed in the same run, and checks --stack dependencies', () => {
    expect(() => checkPrerequisites(all, all, new Map(), 'dev', plain)).not.toThrow();
    const states = new Map([
      ['demo-dev-network', deployed('CREATE_COMPLETE')],
      ['demo-dev-storage', deployed('UPDATE_COMPLETE')],
    ]);
    expect(() => checkPrerequisites(all, selectStacks(all, { stacks: ['api'] }, 'dev'), states, 'dev', plain)).toThrow(
      'demo-dev-api depends on demo-dev-compute (not created).',
    );
  });
});
