import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { InitAnswers } from '../../../src/commands/init/types.js';
import { planInit } from '../../../src/commands/init/plan.js';
import { readTemplateTree } from '../../../src/templates/tree.js';
import type { TemplateTree } from '../../../src/templates/plan.js';

const STAGES = [
  { name: 'dev', account: '123456789012', region: 'us-east-1' },
  { name: 'staging', account: '123456789012', region: 'us-east-1' },
  { name: 'prod', account: '210987654321', region: 'eu-west-1' },
];

function answers(overrides: Partial<InitAnswers> = {}): InitAnswers {
  return { project: 'my-orders', runtime: 'python3.13', stages: STAGES, api: 'rest', vpc: true, github: undefined, git: false, ...overrides };
}

const PYTHON_FILES = [
  'spec3.config.json',
  '.github/workflows/deploy.yml',
  '.gitignore',
  'package.json',
  'README.md',
  'requirements.txt',
  'src/my_orders/__init__.py',
  'src/my_orders/aws.py',
  'src/my_orders/common.py',
  'src/my_orders/handlers/__init__.py',
  'src/my_orders/handlers/analysis.py',
  'src/my_orders/handlers/api.py',
  'src/my_orders/handlers/backup.py',
  'src/my_orders/handlers/health_monitor.py',
  'src/my_orders/handlers/log_processor.py',
  'tests/__init__.py',
  'tests/fakes.py',
  'tests/test_analysis.py',
  'tests/test_api.py',
  'tests/test_backup.py',
  'tests/test_health_monitor.py',
  'tests/test_log_processor.py',
];

const NODE_FILES = [
  'spec3.config.json',
  '.github/workflows/deploy.yml',
  '.gitignore',
  'package.json',
  'README.md',
  'src/aws.mjs',
  'src/common.mjs',
  'src/handlers/analysis.mjs',
  'src/handlers/api.mjs',
  'src/handlers/backup.mjs',
  'src/handlers/health_monitor.mjs',
  'src/handlers/log_processor.mjs',
  'test/analysis_test.mjs',
  'test/api_test.mjs',
  'test/backup_test.mjs',
  'test/fakes.mjs',
  'test/health_monitor_test.mjs',
  'test/log_processor_test.mjs',
];

describe('planInit', () => {
  let tree: TemplateTree;
  beforeAll(async () => {
    tree = await readTemplateTree();
  });
  const plan = (a: InitAnswers) => planInit(a, tree, '1.2.3');
  const file = (a: InitAnswers, path: string) => plan(a).find((f) => f.path === path)!.content;
  const config = (a: InitAnswers) => parseConfig(file(a, 'spec3.config.json'));

  it('plans a Python project', () => {
    expect(plan(answers()).map((f) => f.path)).toEqual(PYTHON_FILES);
  });

  it('plans a Node.js project', () => {
    expect(plan(answers({ runtime: 'nodejs22.x' })).map((f) => f.path)).toEqual(NODE_FILES);
  });

  it('drops the api function, its handler and its tests without an API', () => {
    for (const runtime of ['python3.13', 'nodejs22.x'] as const) {
      const a = answers({ runtime, api: 'none' });
      const paths = plan(a).map((f) => f.path);
      expect(paths.filter((p) => /(^|\/)(test_)?api(_test)?\./.test(p))).toEqual([]);
      expect(paths).toHaveLength((runtime === 'python3.13' ? PYTHON_FILES : NODE_FILES).length - 2);
      const c = config(a);
      expect(c.features.api).toBeUndefined();
      expect(c.functions.map((f) => f.name)).toEqual(['log-processor', 'health-monitor', 'analysis', 'backup']);
    }
  });

  it('writes a config that parses and reproduces the functions of the original system', () => {
    const c = config(answers({ github: 'acme/orders', api: 'http', vpc: false }));
    expect(c.project).toBe('my-orders');
    expect(c.stages).toEqual({
      dev: { account: '123456789012', region: 'us-east-1' },
      staging: { account: '123456789012', region: 'us-east-1' },
      prod: { account: '210987654321', region: 'eu-west-1' },
    });
    expect(c.features).toEqual({ api: { type: 'http', cors: ['*'] }, vpc: false, pipeline: { github: 'acme/orders', branch: 'main', oidcProvider: 'create' } });
    expect(
      c.functions.map((f) => ({ name: f.name, handler: f.handler, source: f.source, runtime: f.runtime, access: f.access, triggers: f.triggers })),
    ).toEqual([
      {
        name: 'api',
        handler: 'my_orders.handlers.api.handler',
        source: 'src',
        runtime: 'python3.13',
        access: ['table:readwrite'],
        triggers: [
          { type: 'http', method: 'GET', path: '/items' },
          { type: 'http', method: 'POST', path: '/items' },
          { type: 'http', method: 'GET', path: '/items/{id}' },
        ],
      },
      {
        name: 'log-processor',
        handler: 'my_orders.handlers.log_processor.handler',
        source: 'src',
        runtime: 'python3.13',
        access: ['bucket:read', 'table:readwrite'],
        triggers: [{ type: 's3', prefix: 'logs/' }],
      },
      {
        name: 'health-monitor',
        handler: 'my_orders.handlers.health_monitor.handler',
        source: 'src',
        runtime: 'python3.13',
        access: ['table:read', 'queue:send', 'topic:publish'],
        triggers: [{ type: 'schedule', expression: 'rate(5 minutes)' }],
      },
      {
        name: 'analysis',
        handler: 'my_orders.handlers.analysis.handler',
        source: 'src',
        runtime: 'python3.13',
        access: ['queue:consume', 'table:readwrite', 'bucket:readwrite'],
        triggers: [{ type: 'queue', batchSize: 10 }],
      },
      {
        name: 'backup',
        handler: 'my_orders.handlers.backup.handler',
        source: 'src',
        runtime: 'python3.13',
        access: ['table:read', 'bucket:readwrite'],
        triggers: [{ type: 'schedule', expression: 'cron(0 3 * * ? *)' }],
      },
    ]);
  });

  it('points Node.js handlers at handlers/<module>.handler', () => {
    const c = config(answers({ runtime: 'nodejs22.x' }));
    expect(c.functions.map((f) => [f.handler, f.runtime])).toContainEqual(['handlers/log_processor.handler', 'nodejs22.x']);
  });

  it('writes the $schema reference, no pipeline without a repository, and no alarm e-mail anywhere', () => {
    const raw = JSON.parse(file(answers(), 'spec3.config.json'));
    expect(raw.$schema).toBe('./node_modules/spec3/schema/spec3.config.schema.json');
    expect(raw.features).toEqual({ api: { type: 'rest' }, vpc: true });
    for (const f of plan(answers({ github: 'acme/orders' }))) expect(f.content).not.toContain('alarmEmail');
  });

  it('leaves no placeholder unrendered in any file', () => {
    for (const a of [answers(), answers({ runtime: 'nodejs22.x', github: 'acme/x', api: 'none' })]) {
      for (const f of plan(a)) expect(f.content, f.path).not.toMatch(/(?<!\$)\{\{/);
    }
  });

  it('pins the spec3 version and the test command in package.json', () => {
    expect(JSON.parse(file(answers(), 'package.json'))).toEqual({
      name: 'my-orders',
      private: true,
      description: 'my-orders: AWS infrastructure per stage, deployed with spec3',
      scripts: { synth: 'spec3 synth dev', 'deploy:dev': 'spec3 deploy dev', test: 'python3 -m unittest discover -s tests -t .' },
      devDependencies: { spec3: '^1.2.3' },
    });
    expect(JSON.parse(file(answers({ runtime: 'nodejs22.x' }), 'package.json')).scripts.test).toBe('node --test');
  });

  it('imports the handlers from the project package in the Python tests', () => {
    expect(file(answers(), 'tests/test_backup.py')).toContain('from my_orders.handlers import backup\n');
  });

  it('deploys each chosen stage in order, in its own region, with the runtime set up', () => {
    const workflow = file(answers({ stages: [STAGES[0]!, STAGES[2]!] }), '.github/workflows/deploy.yml');
    expect(workflow).toContain('  deploy-dev:\n    needs: test\n');
    expect(workflow).toContain('  deploy-prod:\n    needs: deploy-dev\n');
    expect(workflow).not.toContain('deploy-staging');
    expect(workflow).toContain('aws-region: eu-west-1\n      - run: npx spec3 deploy prod --yes');
    expect(workflow).toContain("python-version: '3.13'");
    const node = file(answers({ runtime: 'nodejs22.x' }), '.github/workflows/deploy.yml');
    expect(node).toContain("node-version: '22'\n      - run: node --test");
    expect(node).not.toContain('setup-python');
  });

  it("assumes each stage's deploy role, in the stage's account, and gates protected stages by a GitHub environment", () => {
    const workflow = file(answers(), '.github/workflows/deploy.yml');
    expect(workflow).toContain('role-to-assume: arn:aws:iam::123456789012:role/my-orders-dev-deploy\n');
    expect(workflow).toContain('role-to-assume: arn:aws:iam::123456789012:role/my-orders-staging-deploy\n');
    expect(workflow).toContain('role-to-assume: arn:aws:iam::210987654321:role/my-orders-prod-deploy\n');
    expect(workflow).not.toContain('AWS_DEPLOY_ROLE_ARN');
    expect(workflow.match(/^ {4}environment: .*$/gm)).toEqual(['    environment: prod']);
    expect(workflow).toContain("  deploy-prod:\n    needs: deploy-staging\n    if: github.event_name == 'push' && github.ref == 'refs/heads/main'\n    runs-on: ubuntu-latest\n    environment: prod\n");
    expect(workflow).toContain('  deploy-dev:\n    needs: test\n    if: github.event_name == \'push\' && github.ref == \'refs/heads/main\'\n    runs-on: ubuntu-latest\n    steps:\n');
    const gov = file(answers({ stages: [{ name: 'dev', account: '123456789012', region: 'us-gov-west-1' }] }), '.github/workflows/deploy.yml');
    expect(gov).toContain('role-to-assume: arn:aws-us-gov:iam::123456789012:role/my-orders-dev-deploy\n');
  });

  it('tells in the README to deploy the pipeline stack from a workstation first', () => {
    const readme = file(answers({ github: 'acme/orders' }), 'README.md');
    expect(readme).toContain('`my-orders-<stage>-deploy`');
    expect(readme).toContain('   npx spec3 deploy dev --phase foundation\n   npx spec3 deploy staging --phase foundation\n   npx spec3 deploy prod --phase foundation\n');
    expect(readme).toContain('environment for each protected stage\n   (`prod`)');
    expect(readme).not.toMatch(/\{\{|\}\}/);
    const noProd = file(answers({ stages: [STAGES[0]!] }), 'README.md');
    expect(noProd).toContain('protected stage\n   (none yet)');
  });
});
