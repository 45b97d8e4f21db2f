import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { Spec3Error } from '../../src/errors.js';
import { NAME_LIMITS, queueName, stageStacks, tableName, topicName } from '../../src/stack/naming.js';
import { sampleConfig } from '../helpers/project.js';
import { useTempDirs } from '../helpers/tmp.js';
import { TestIo } from '../helpers/io.js';

function errorOf(text: string): Spec3Error {
  try {
    parseConfig(text);
  } catch (error) {
    if (error instanceof Spec3Error) return error;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

const base = sampleConfig();
const withStage = (stage: Record<string, unknown>) => JSON.stringify({ ...base, stages: { dev: { ...base.stages.dev, ...stage } } });
const withFunction = (fn: Record<string, unknown>) =>
  JSON.stringify({ ...base, functions: [{ ...base.functions![0], ...fn }] });

describe('parseConfig', () => {
  it('accepts the sample config and fills defaults', () => {
    const config = parseConfig(JSON.stringify(base));
    expect(config.functions[0]).toMatchObject({ runtime: 'python3.13', source: 'src', requirements: 'requirements.txt' });
    expect(config.features).toEqual({ api: { type: 'rest', cors: ['*'] }, vpc: true });
    expect(config.defaults).toEqual({});
  });

  // Each bad input: the JSON path and the expectation in the message, and the error code.
  it.each([
    ['malformed JSON', '{"project": "orders",}', 'CONFIG_INVALID_JSON', 'spec3.config.json: not valid JSON at line 1, column 22'],
    ['missing project', JSON.stringify({ stages: base.stages }), 'CONFIG_INVALID', 'spec3.config.json: project: missing; expected a project name'],
    ['uppercase project', JSON.stringify({ ...base, project: 'Orders' }), 'CONFIG_INVALID', 'spec3.config.json: project: expected lowercase letters, digits and hyphens'],
    ['long project', JSON.stringify({ ...base, project: 'a'.repeat(21) }), 'CONFIG_INVALID', 'spec3.config.json: project: expected at most 20 characters'],
    ['no stages', JSON.stringify({ ...base, stages: {} }), 'CONFIG_INVALID', 'spec3.config.json: stages: expected at least one stage'],
    ['bad stage name', JSON.stringify({ ...base, stages: { Dev: base.stages.dev } }), 'CONFIG_INVALID', 'spec3.config.json: stages.Dev: invalid name; expected a stage name of lowercase letters and digits'],
    ['short account', withStage({ account: '1234' }), 'CONFIG_INVALID', 'spec3.config.json: stages.dev.account: expected a 12-digit AWS account id, e.g. "123456789012"'],
    ['numeric account', withStage({ account: 123456789012 }), 'CONFIG_INVALID', 'spec3.config.json: stages.dev.account: expected a 12-digit AWS account id in quotes'],
    ['bad region', withStage({ region: 'useast1' }), 'CONFIG_INVALID', 'spec3.config.json: stages.dev.region: expected an AWS region name'],
    ['too many AZs', withStage({ azs: 4 }), 'CONFIG_INVALID', 'spec3.config.json: stages.dev.azs: expected a number of availability zones of at most 3'],
    ['NAT above AZs', withStage({ azs: 1, natGateways: 2 }), 'CONFIG_INVALID', 'spec3.config.json: stages.dev.natGateways: 2 NAT gateways for 1 availability zones; set natGateways to 1 or fewer.'],
    ['memory too low', withStage({ lambda: { memory: 64 } }), 'CONFIG_INVALID', 'spec3.config.json: stages.dev.lambda.memory: expected memory in MB of at least 128'],
    ['timeout too high', withStage({ lambda: { timeout: 901 } }), 'CONFIG_INVALID', 'spec3.config.json: stages.dev.lambda.timeout: expected a timeout in seconds of at most 900'],
    ['odd retention', withStage({ logRetentionDays: 10 }), 'CONFIG_INVALID', 'spec3.config.json: stages.dev.logRetentionDays: expected one of the retention periods CloudWatch Logs allows: 1, 3, 5, 7'],
    ['alarm percent', withStage({ alarms: { durationPercent: 120 } }), 'CONFIG_INVALID', 'spec3.config.json: stages.dev.alarms.durationPercent: expected a percentage of the timeout of at most 100'],
    ['protected not boolean', withStage({ protected: 'yes' }), 'CONFIG_INVALID', 'spec3.config.json: stages.dev.protected: expected true or false (protect the stage)'],
    ['bad e-mail', withStage({ alarmEmail: 'oncall' }), 'CONFIG_INVALID', 'spec3.config.json: stages.dev.alarmEmail: expected an e-mail address'],
    ['misspelt stage key', withStage({ acount: '123456789012' }), 'CONFIG_INVALID', 'spec3.config.json: stages.dev.acount: unknown field; did you mean "account"?'],
    ['unknown top-level key', JSON.stringify({ ...base, stagez: {} }), 'CONFIG_INVALID', 'spec3.config.json: stagez: unknown field; did you mean "stages"?'],
    ['bad function name', withFunction({ name: 'Api_1' }), 'CONFIG_INVALID', 'spec3.config.json: functions[0].name: expected lowercase letters, digits and hyphens'],
    ['bad runtime', withFunction({ runtime: 'python2.7' }), 'CONFIG_INVALID', 'spec3.config.json: functions[0].runtime: expected one of python3.13, python3.12, python3.11, nodejs22.x'],
    ['bad handler', withFunction({ handler: 'handler' }), 'CONFIG_INVALID', 'spec3.config.json: functions[0].handler: expected "<module path>.<function>"'],
    ['bad access', withFunction({ access: ['table:delete'] }), 'CONFIG_INVALID', 'spec3.config.json: functions[0].access[0]: expected one of table:read'],
    ['bad trigger type', withFunction({ triggers: [{ type: 'cron' }] }), 'CONFIG_INVALID', 'spec3.config.json: functions[0].triggers[0].type: expected a trigger with "type" one of: http, schedule, s3, queue'],
    ['bad schedule', withFunction({ triggers: [{ type: 'schedule', expression: 'every 5 minutes' }] }), 'CONFIG_INVALID', 'spec3.config.json: functions[0].triggers[0].expression: expected "rate(N minutes|hours|days)"'],
    ['bad route', withFunction({ triggers: [{ type: 'http', path: 'items' }] }), 'CONFIG_INVALID', 'spec3.config.json: functions[0].triggers[0].path: expected a route path starting with "/"'],
    ['bad api type', JSON.stringify({ ...base, features: { api: { type: 'graphql' } } }), 'CONFIG_INVALID', 'spec3.config.json: features.api.type: expected "rest" (API Gateway REST API) or "http" (HTTP API)'],
    ['bad github repo', JSON.stringify({ ...base, features: { ...base.features, pipeline: { github: 'orders' } } }), 'CONFIG_INVALID', 'spec3.config.json: features.pipeline.github: expected "owner/repository"'],
    ['duplicate function', JSON.stringify({ ...base, functions: [base.functions![0], base.functions![0]] }), 'CONFIG_INVALID', 'functions[1].name: "api" is already the name of functions[0]; function names must be unique.'],
    ['duplicate route', JSON.stringify({ ...base, functions: [base.functions![0], { ...base.functions![0], name: 'api2' }] }), 'CONFIG_INVALID', 'functions[1].triggers[0]: route GET /items is already served by function "api".'],
    ['http without api', JSON.stringify({ ...base, features: { vpc: true } }), 'CONFIG_INVALID', 'functions[0].triggers[0]: an http trigger needs the API; add "api": { "type": "rest" } under "features".'],
    ['two queue consumers', JSON.stringify({ ...base, functions: [{ name: 'a1', handler: 'a.b', triggers: [{ type: 'queue' }] }, { name: 'a2', handler: 'a.b', triggers: [{ type: 'queue' }] }] }), 'CONFIG_INVALID', 'functions[1].triggers[0]: the work queue is already consumed by function "a1"'],
    ['Lambda name too long', withFunction({ name: 'a'.repeat(60) }), 'CONFIG_INVALID', 'makes the Lambda name "orders-dev-aaaa'],
    ['a list at the top level', '[]', 'CONFIG_INVALID', 'spec3.config.json: (top level): expected a JSON object at the top level, e.g. { "project": "orders", "stages": { "dev": { "account": "123456789012", "region": "us-east-1" } } }; got a list'],
    ['stages as a list', JSON.stringify({ ...base, stages: [base.stages.dev] }), 'CONFIG_INVALID', 'spec3.config.json: stages: expected an object of stages, e.g. { "dev": { "account": "123456789012", "region": "us-east-1" } }; got a list'],
    ['missing stages', JSON.stringify({ project: 'orders' }), 'CONFIG_INVALID', 'spec3.config.json: stages: missing; expected an object of stages'],
    ['a stage as a string', JSON.stringify({ ...base, stages: { dev: '123456789012' } }), 'CONFIG_INVALID', 'spec3.config.json: stages.dev: expected an object of stage settings, e.g. { "account": "123456789012", "region": "us-east-1" }; got the string "123456789012"'],
    ['functions as an object', JSON.stringify({ ...base, functions: { api: base.functions![0] } }), 'CONFIG_INVALID', 'spec3.config.json: functions: expected a list of functions, e.g. [{ "name": "api"'],
    ['triggers as an object', withFunction({ triggers: { type: 'queue' } }), 'CONFIG_INVALID', 'spec3.config.json: functions[0].triggers: expected a list of triggers, e.g. [{ "type": "http"'],
    ['a trigger as a string', withFunction({ triggers: ['queue'] }), 'CONFIG_INVALID', 'functions[0].triggers[0]: expected a trigger with "type" one of: http, schedule, s3, queue; got the string "queue"'],
    ['an unknown trigger field', withFunction({ triggers: [{ type: 'http', path: '/items', verb: 'GET' }] }), 'CONFIG_INVALID', 'spec3.config.json: functions[0].triggers[0].verb: unknown field; allowed here: type, method, path'],
    ['a misspelt trigger field', withFunction({ triggers: [{ type: 'queue', batchsize: 5 }] }), 'CONFIG_INVALID', 'functions[0].triggers[0].batchsize: unknown field; did you mean "batchSize"?'],
    ['memory as a string', withFunction({ memory: '512' }), 'CONFIG_INVALID', 'functions[0].memory: expected memory in MB: a whole number from 128 to 10240; got the string "512"'],
    ['cors as a string', JSON.stringify({ ...base, features: { api: { cors: '*' } } }), 'CONFIG_INVALID', 'spec3.config.json: features.api.cors: expected a list [ ... ]; got the string "*"'],
    ['an empty source', withFunction({ source: '' }), 'CONFIG_INVALID', 'functions[0].source: expected a directory path relative to the config file, e.g. "src"'],
    ['exclude as a string', withFunction({ exclude: 'tests' }), 'CONFIG_INVALID', 'functions[0].exclude: expected a list of glob patterns, e.g. ["tests", "*.csv"]'],
    ['a hyphen in an environment variable', withFunction({ environment: { 'LOG-LEVEL': 'debug' } }), 'CONFIG_INVALID', 'functions[0].environment.LOG-LEVEL: invalid name; expected an environment variable name: letters, digits and underscores, not starting with a digit, e.g. "LOG_LEVEL"'],
    ['bucket name too long', JSON.stringify({ ...base, project: 'a'.repeat(20), stages: { stage12345: { account: '123456789012', region: 'ap-southeast-2' } } }), 'CONFIG_INVALID', 'spec3.config.json: stages.stage12345: the bucket name'],
  ])('rejects %s', (_name, text, code, message) => {
    const error = errorOf(text);
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
    expect(error.hint).toBeTruthy();
  });

  it('keeps stack, queue, table and topic names within AWS limits by capping project (20) and stage (10) names', () => {
    // Why the rules check only Lambda and bucket names: the others cannot outgrow their limits.
    const config = parseConfig(JSON.stringify({ ...base, project: 'p'.repeat(20), stages: { ['s'.repeat(10)]: base.stages.dev } }));
    const scope = { project: config.project, stage: Object.keys(config.stages)[0]! };
    for (const stack of stageStacks(scope)) expect(stack.name.length).toBeLessThanOrEqual(NAME_LIMITS.stack);
    for (const queue of ['work', 'work-dlq', 'functions-dlq'] as const) expect(queueName(scope, queue).length).toBeLessThanOrEqual(NAME_LIMITS.queue);
    expect(tableName(scope).length).toBeLessThanOrEqual(NAME_LIMITS.table);
    expect(topicName(scope).length).toBeLessThanOrEqual(NAME_LIMITS.topic);
    expect(() => parseConfig(JSON.stringify({ ...base, project: 'p'.repeat(21) }))).toThrow('expected at most 20 characters');
    expect(() => parseConfig(JSON.stringify({ ...base, stages: { ['s'.repeat(11)]: base.stages.dev } }))).toThrow('at most 10 characters');
  });

  it('refuses a key given twice, with the line and column of both (JSON.parse would keep the last silently)', () => {
    const text = [
      '{',
      '  "project": "orders",',
      '  "stages": {',
      '    "dev": { "account": "123456789012", "region": "us-east-1", "account": "210987654321" },',
      '    "prod": { "account": "123456789012", "region": "us-east-1" },',
      '    "dev": { "account": "123456789012", "region": "eu-west-1" }',
      '  }',
      '}',
    ].join('\n');
    const error = errorOf(text);
    expect(error.code).toBe('CONFIG_DUPLICATE_KEY');
    expect(error.message).toBe(
      'spec3.config.json has 2 keys given twice:\n' +
        '  spec3.config.json: stages.dev.account: given twice, at line 4, column 14 and at line 4, column 64\n' +
        '  spec3.config.json: stages.dev: given twice, at line 4, column 5 and at line 6, column 5',
    );
    expect(error.hint).toContain('Remove or merge the repeated "account", "dev" in spec3.config.json');
    // The same key in two different objects is no duplicate.
    expect(parseConfig(JSON.stringify(base)).stages.dev).toBeDefined();
  });

  it('accepts a UTF-8 byte order mark before the JSON', () => {
    expect(parseConfig(`\uFEFF${JSON.stringify(base)}`).project).toBe(base.project);
  });

  it('lists every problem at once, not only the first', () => {
    const error = errorOf(JSON.stringify({ ...base, project: 'X', stages: { dev: { account: '1', region: 'x' } } }));
    expect(error.message).toMatch(/^spec3\.config\.json has 3 problems:/);
    expect(error.message).toContain('project:');
    expect(error.message).toContain('stages.dev.account:');
    expect(error.message).toContain('stages.dev.region:');
  });
});

describe('loadConfig', () => {
  const tempDir = useTempDirs();

  it('names the directory when no config exists there or above it', async () => {
    const dir = await tempDir();
    await expect(loadConfig({ cwd: dir })).rejects.toMatchObject({
      code: 'CONFIG_NOT_FOUND',
      message: `No spec3.config.json in ${dir} or any directory above it.`,
    });
  });

  it('finds the config from a subdirectory of the project, as git finds .git, and says which file it uses', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'spec3.config.json'), JSON.stringify(base));
    const deep = path.join(dir, 'src', 'orders', 'handlers');
    await mkdir(deep, { recursive: true });
    const io = new TestIo();
    const loaded = await loadConfig({ cwd: deep, io });
    expect(loaded).toMatchObject({ file: path.join(dir, 'spec3.config.json'), dir, name: path.join(dir, 'spec3.config.json') });
    expect(io.events).toEqual([{ code: 'CONFIG_FILE', level: 'info', message: `Using ${path.join(dir, 'spec3.config.json')}`, data: { file: path.join(dir, 'spec3.config.json') } }]);
    // In the project directory itself nothing needs saying.
    const here = new TestIo();
    expect((await loadConfig({ cwd: dir, io: here })).name).toBe('spec3.config.json');
    expect(here.events).toEqual([]);
    // The nearest config wins: a nested project is its own.
    await writeFile(path.join(dir, 'src', 'spec3.config.json'), JSON.stringify({ ...base, project: 'nested' }));
    expect((await loadConfig({ cwd: deep })).config.project).toBe('nested');
    // --config is relative to the working directory and never searched for.
    await expect(loadConfig({ cwd: deep, config: 'spec3.config.json' })).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND', message: expect.stringContaining('--config spec3.config.json: no such file') });
    expect((await loadConfig({ cwd: deep, config: '../../../spec3.config.json' })).config.project).toBe(base.project);
  });

  it('names the --config path when that file does not exist', async () => {
    const dir = await tempDir();
    await expect(loadConfig({ cwd: dir, config: 'infra/spec3.json' })).rejects.toMatchObject({
      code: 'CONFIG_NOT_FOUND',
      message: `--config infra/spec3.json: no such file (looked for ${path.join(dir, 'infra', 'spec3.json')}).`,
      hint: 'Fix the path given to --config (it is relative to the current directory), or leave it out to use the nearest spec3.config.json.',
    });
  });

  it('reads a config given by --config relative to the working directory and names it in errors', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'infra'));
    await writeFile(path.join(dir, 'infra', 'spec3.config.json'), JSON.stringify({ ...base, project: 'BAD' }));
    await expect(loadConfig({ cwd: dir, config: 'infra/spec3.config.json' })).rejects.toThrow(
      /^infra\/spec3\.config\.json: project: expected lowercase/,
    );
    await writeFile(path.join(dir, 'infra', 'spec3.config.json'), JSON.stringify(base));
    const loaded = await loadConfig({ cwd: dir, config: 'infra/spec3.config.json' });
    expect(loaded.dir).toBe(path.join(dir, 'infra'));
    expect(loaded.config.project).toBe('orders');
  });
});
