import { DeleteChangeSetCommand } from '@aws-sdk/client-cloudformation';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import { runMain } from '../../helpers/cli.js';
import { useTempDirs } from '../../helpers/tmp.js';
import {
  apiTemplate,
  cfn,
  changeSet,
  computeTemplate,
  deployed,
  ENV,
  KEY_ARN,
  KEY_NAME,
  KEY_PARAM,
  modify,
  resetAws,
  ssmValues,
  storageTemplate,
  sts,
  writeStage,
} from './fake-stage.js';

const tempDir = useTempDirs();
let dir = '';
let assembly = '';

beforeEach(async () => {
  resetAws();
  dir = await tempDir();
  deployed({
    'orders-dev-storage': { template: storageTemplate(), parameters: { [KEY_PARAM]: [KEY_NAME, KEY_ARN] } },
    'orders-dev-compute': { template: computeTemplate() },
    'orders-dev-api': { template: apiTemplate() },
  });
  ssmValues({ [KEY_NAME]: KEY_ARN });
});

async function stage(compute = computeTemplate()): Promise<void> {
  assembly = await writeStage(dir, { storage: storageTemplate(), compute, api: apiTemplate() });
}

const spec3 = (...argv: string[]) => runMain(argv, dir, { ...ENV, CI: '1', NO_COLOR: '1' });

describe('spec3 diff (in-process)', () => {
  it('exits 0 and lists every stack without differences when nothing would change', async () => {
    await stage();
    const r = await spec3('diff', 'dev', '--assembly', assembly);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(
      [
        'orders dev  account 123456789012  us-east-1',
        '',
        'foundation',
        '  orders-dev-storage  no differences',
        '',
        'app',
        '  orders-dev-compute  no differences',
        '  orders-dev-api      no differences',
        '',
        'No differences in 3 stack(s).',
        '',
      ].join('\n'),
    );
    expect(r.err).toContain('› orders-dev-compute: no differences');
  });

  it('exits 2 with the changes rendered, and CloudFormation plan under --change-set', async () => {
    await stage(computeTemplate({ memory: 512 }));
    changeSet([{ Status: 'CREATE_COMPLETE', Changes: [modify('Api', 'AWS::Lambda::Function', 'MemorySize')] }]);
    const r = await spec3('diff', 'dev', '--assembly', assembly, '--change-set');
    expect(r.code, r.err).toBe(2);
    expect(r.out).toContain(
      [
        '  orders-dev-compute  changed',
        '    Resources',
        '    [~] AWS::Lambda::Function Api',
        '     └─ [~] MemorySize',
        '         ├─ [-] 256',
        '         └─ [+] 512',
        '',
        '    CloudFormation change set (deleted after reading): 1 resource change(s)',
        '      Modify AWS::Lambda::Function Api  replacement False  scope Properties',
        '          Properties.MemorySize: DirectModification, Static, recreation Never',
      ].join('\n'),
    );
    expect(r.out).toContain('1 of 3 stack(s) would change: orders-dev-compute');
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
  });

  it('exits 2 under --json too, printing the result', async () => {
    await stage(computeTemplate({ memory: 512 }));
    const r = await spec3('diff', 'dev', '--assembly', assembly, '--json', '--stack', 'compute');
    expect(r.code, r.err).toBe(2);
    expect(r.err).toBe('');
    const result = JSON.parse(r.out) as { stacks: { name: string; status: string; resources: object[] }[] };
    expect(result.stacks).toMatchObject([{ name: 'orders-dev-compute', status: 'changed', resources: [{ logicalId: 'Api', change: 'modify' }] }]);
  });

  it('exits 1, never 0 or 2, when it cannot tell: a failed change set, another account, an unknown stack', async () => {
    await stage(computeTemplate({ memory: 512 }));
    changeSet([{ Status: 'FAILED', StatusReason: 'Template error: instance of Fn::GetAtt references undefined resource Missing' }]);
    const failed = await spec3('diff', 'dev', '--assembly', assembly, '--change-set');
    expect(failed.code).toBe(1);
    expect(failed.out).toBe('');
    expect(failed.err).toContain('✖ orders-dev-compute: CloudFormation could not compute a change set: Template error');

    sts.on(GetCallerIdentityCommand).resolves({ Account: '210987654321', Arn: 'arn:aws:iam::210987654321:user/ci' });
    const wrong = await spec3('diff', 'dev', '--assembly', assembly, '--json');
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.out)).toMatchObject({ error: { code: 'WRONG_ACCOUNT' } });

    const unknown = await spec3('diff', 'dev', '--assembly', assembly, '--stack', 'queues');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('--stack queues: stage dev has no stack "queues".');
  });

  it('--help shows the flags, examples and exit codes', async () => {
    const r = await spec3('diff', '--help');
    expect(r.code).toBe(0);
    for (const flag of ['--phase', '--stack', '--change-set', '--json', '--assembly', '--config', '--local', '--profile']) expect(r.out).toContain(flag);
    expect(r.out).toContain('Examples:');
    expect(r.out).toContain('Exit codes: 0 no changes, 2 changes found (or a stack removed from config), 1 error');
  });
});
