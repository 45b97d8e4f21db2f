import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsEnv, useLocalAws } from '../../helpers/local-aws.js';
import { spec3 } from '../../e2e/helpers.js';
import { awsClient, initProject } from './project.js';

/**
 * The config as a case edits it. Deliberately loose: the cases write exactly what the schema refuses.
 */
type Config = Record<string, any>;

interface BadInput {
  readonly name: string;
  /** Changes the scaffolded config (functions: 0 api/http, 1 log-processor/s3, 2 health-monitor/schedule, 3 analysis/queue, 4 backup/cron). */
  readonly edit?: (config: Config) => void;
  /** Replaces the config file's text (or, with null, removes the file). */
  readonly text?: string | null;
  /** Any other change to the project directory. */
  readonly files?: (dir: string) => Promise<void>;
  /** Bootstrap the stage first, so the case gets past the bootstrap check. */
  readonly bootstrap?: boolean;
  /** Arguments after `spec3`; default `deploy dev`. */
  readonly args?: readonly string[];
  readonly expect: {
    readonly code: string;
    /** Where the problem is: a config field path, a flag, an argument. */
    readonly field: string;
    /** Part of the message saying what is wrong. */
    readonly says?: string;
    /** Part of the hint (or of the message, where the message itself gives the fix) saying how to fix it. */
    readonly hint: string;
    /** The config file the message names; null for a problem in the command line. */
    readonly file?: string | null;
  };
}

const FILE = 'spec3.config.json';
const EXT = 'spec3.extend.ts';
/** Writes `source` as the project's spec3.extend.ts. */
const extension = (source: string) => (dir: string) => writeFile(path.join(dir, EXT), source);
const fn = (c: Config, i: number) => c.functions[i];
/** The same bad config for every command that reads one. */
const lowMemory = (c: Config) => {
  fn(c, 0).memory = 64;
};
const lowMemoryExpect = { code: 'CONFIG_INVALID', field: 'functions[0].memory', says: 'expected memory in MB of at least 128', hint: 'Fix the field' };

/** A raw DynamoDB table and a raw queue tagged with a reference, for the raw CloudFormation cases. */
const rawTable = {
  Type: 'AWS::DynamoDB::Table',
  Properties: { BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] },
};
const rawQueue = (ref: string) => ({ Type: 'AWS::SQS::Queue', Properties: { Tags: [{ Key: 'ref', Value: { 'spec3:ref': ref } }] } });

const CASES: readonly BadInput[] = [
  // Not a config at all.
  { name: 'JSON with a trailing comma', text: '{\n  "project": "demo",\n  "stages": { "dev": { "account": "123456789012", "region": "us-east-1" }, }\n}\n', expect: { code: 'CONFIG_INVALID_JSON', field: 'line 3, column', says: 'not valid JSON', hint: 'no comments or trailing commas' } },
  { name: 'a truncated file', text: '{\n  "project": "demo",\n  "stages": { "dev": { "acc', expect: { code: 'CONFIG_INVALID_JSON', field: 'line 3', says: 'not valid JSON', hint: 'Fix the JSON syntax' } },
  { name: 'an empty file', text: '', expect: { code: 'CONFIG_INVALID_JSON', field: FILE, says: 'not valid JSON', hint: 'Fix the JSON syntax' } },
  { name: 'a key given twice in a stage', text: '{\n  "project": "demo",\n  "stages": {\n    "dev": { "account": "123456789012", "region": "us-east-1", "account": "210987654321" }\n  }\n}\n', expect: { code: 'CONFIG_DUPLICATE_KEY', field: 'stages.dev.account', says: 'given twice, at line 4, column 14 and at line 4, column 64', hint: 'Remove or merge the repeated "account"' } },
  { name: 'a stage given twice', text: '{\n  "project": "demo",\n  "stages": {\n    "dev": { "account": "123456789012", "region": "us-east-1" },\n    "dev": { "account": "123456789012", "region": "eu-west-1" }\n  }\n}\n', expect: { code: 'CONFIG_DUPLICATE_KEY', field: 'stages.dev', says: 'given twice, at line 4, column 5 and at line 5, column 5', hint: 'Remove or merge the repeated "dev"' } },
  // A byte order mark is no JSON error: the config behind it is read, and its real problem named.
  { name: 'a bad field behind a UTF-8 byte order mark', edit: lowMemory, files: async (dir) => writeFile(path.join(dir, FILE), `\uFEFF${await readFile(path.join(dir, FILE), 'utf8')}`), expect: lowMemoryExpect },
  { name: 'an unknown approval level in the config', edit: (c) => { c.requireApproval = 'sometimes'; }, expect: { code: 'CONFIG_INVALID', field: 'requireApproval', says: 'expected one of never, broadening, any', hint: 'Fix the field' } },
  { name: 'a function environment past Lambda\'s 4 KB', edit: (c) => { fn(c, 0).environment = { SETTINGS: 'x'.repeat(4000) }; }, expect: { code: 'LAMBDA_ENVIRONMENT_TOO_LARGE', field: 'Function demo-dev-api', says: 'Lambda allows 4,096 bytes (4 KB) per function', hint: 'functions[0].environment (api)' } },
  { name: 'a function environment past Lambda\'s 4 KB: synth', args: ['synth', 'dev'], edit: (c) => { fn(c, 3).environment = { A: 'x'.repeat(2100), B: 'y'.repeat(2000) }; }, expect: { code: 'LAMBDA_ENVIRONMENT_TOO_LARGE', field: 'Function demo-dev-analysis', says: 'bytes as Lambda counts them', hint: 'functions[3].environment (analysis)' } },
  { name: 'a list instead of an object', text: '[{ "project": "demo" }]', expect: { code: 'CONFIG_INVALID', field: '(top level)', says: 'expected a JSON object at the top level', hint: 'Fix the field' } },
  { name: 'no config file', text: null, expect: { code: 'CONFIG_NOT_FOUND', field: FILE, says: `No ${FILE} in`, hint: 'spec3 init' } },
  { name: '--config naming a missing file', args: ['deploy', 'dev', '--config', 'infra/other.json'], expect: { code: 'CONFIG_NOT_FOUND', field: '--config infra/other.json', says: 'no such file', hint: 'Fix the path given to --config', file: null } },
  { name: 'an unknown top-level key', edit: (c) => { c.colour = 'blue'; }, expect: { code: 'CONFIG_INVALID', field: 'colour', says: 'unknown field', hint: 'allowed here: $schema, project' } },
  { name: 'a misspelt top-level key', edit: (c) => { c.fuctions = c.functions; delete c.functions; }, expect: { code: 'CONFIG_INVALID', field: 'fuctions', says: 'unknown field', hint: 'did you mean "functions"?' } },

  // Project and stages.
  { name: 'no project', edit: (c) => { delete c.project; }, expect: { code: 'CONFIG_INVALID', field: 'project', says: 'missing', hint: 'expected a project name' } },
  { name: 'a project name with capitals and underscores', edit: (c) => { c.project = 'My_Orders'; }, expect: { code: 'CONFIG_INVALID', field: 'project', says: 'expected lowercase letters, digits and hyphens', hint: 'e.g. "orders"' } },
  { name: 'no stages', edit: (c) => { delete c.stages; }, expect: { code: 'CONFIG_INVALID', field: 'stages', says: 'missing', hint: 'e.g. { "dev": { "account"' } },
  { name: 'empty stages', edit: (c) => { c.stages = {}; }, expect: { code: 'CONFIG_INVALID', field: 'stages', says: 'expected at least one stage', hint: 'e.g. "dev"' } },
  { name: 'stages as a list', edit: (c) => { c.stages = [c.stages.dev]; }, expect: { code: 'CONFIG_INVALID', field: 'stages', says: 'expected an object of stages', hint: 'got a list' } },
  { name: 'a stage name with capitals', edit: (c) => { c.stages.Dev = c.stages.dev; }, expect: { code: 'CONFIG_INVALID', field: 'stages.Dev', says: 'invalid name', hint: 'lowercase letters and digits, at most 10 characters' } },
  { name: 'an 11-digit account', edit: (c) => { c.stages.dev.account = '12345678901'; }, expect: { code: 'CONFIG_INVALID', field: 'stages.dev.account', says: 'expected a 12-digit AWS account id', hint: 'e.g. "123456789012"' } },
  { name: 'an account id as a number', edit: (c) => { c.stages.dev.account = 123456789012; }, expect: { code: 'CONFIG_INVALID', field: 'stages.dev.account', says: 'got the number 123456789012', hint: 'in quotes' } },
  { name: 'a region that does not exist', edit: (c) => { c.stages.dev.region = 'mars-north-1x'; }, expect: { code: 'CONFIG_INVALID', field: 'stages.dev.region', says: 'expected an AWS region name', hint: 'e.g. "us-east-1"' } },
  { name: 'a stage without an account', edit: (c) => { delete c.stages.dev.account; }, expect: { code: 'CONFIG_INVALID', field: 'stages.dev.account', says: 'missing', hint: 'Set "account" under stages.dev' } },
  { name: 'a misspelt stage setting', edit: (c) => { c.stages.dev.acount = c.stages.dev.account; delete c.stages.dev.account; }, expect: { code: 'CONFIG_INVALID', field: 'stages.dev.acount', says: 'unknown field', hint: 'did you mean "account"?' } },
  { name: 'four availability zones', edit: (c) => { c.stages.dev.azs = 4; }, expect: { code: 'CONFIG_INVALID', field: 'stages.dev.azs', says: 'at most 3', hint: 'Fix the field' } },
  { name: 'more NAT gateways than zones', edit: (c) => { c.stages.dev.azs = 1; c.stages.dev.natGateways = 2; }, expect: { code: 'CONFIG_INVALID', field: 'stages.dev.natGateways', says: '2 NAT gateways for 1 availability zones', hint: 'set natGateways to 1 or fewer' } },
  { name: 'a log retention CloudWatch does not offer', edit: (c) => { c.stages.dev.logRetentionDays = 10; }, expect: { code: 'CONFIG_INVALID', field: 'stages.dev.logRetentionDays', says: 'retention periods CloudWatch Logs allows', hint: '1, 3, 5, 7, 14' } },
  { name: 'an alarm e-mail that is not one', edit: (c) => { c.defaults = { alarmEmail: 'oncall' }; }, expect: { code: 'CONFIG_INVALID', field: 'defaults.alarmEmail', says: 'expected an e-mail address', hint: 'e.g. "oncall@example.com"' } },
  { name: 'a stage memory below 128 MB', edit: (c) => { c.stages.dev.lambda = { memory: 64 }; }, expect: { code: 'CONFIG_INVALID', field: 'stages.dev.lambda.memory', says: 'at least 128', hint: 'Fix the field' } },
  { name: 'protected as a string', edit: (c) => { c.stages.prod.protected = 'yes'; }, expect: { code: 'CONFIG_INVALID', field: 'stages.prod.protected', says: 'expected true or false', hint: 'got the string "yes"' } },
  { name: 'a qualifier with symbols', edit: (c) => { c.qualifier = 'My-Q!'; }, expect: { code: 'CONFIG_INVALID', field: 'qualifier', says: 'expected 1 to 10 lowercase letters or digits', hint: 'e.g. "hnb659fds"' } },

  // Functions.
  { name: 'functions as an object', edit: (c) => { c.functions = { api: c.functions[0] }; }, expect: { code: 'CONFIG_INVALID', field: 'functions', says: 'expected a list of functions', hint: 'got an object' } },
  { name: 'memory as a string', edit: (c) => { fn(c, 0).memory = '512'; }, expect: { code: 'CONFIG_INVALID', field: 'functions[0].memory', says: 'a whole number from 128 to 10240', hint: 'got the string "512"' } },
  { name: 'memory above 10240 MB', edit: (c) => { fn(c, 0).memory = 20480; }, expect: { code: 'CONFIG_INVALID', field: 'functions[0].memory', says: 'at most 10240', hint: 'Fix the field' } },
  { name: 'a timeout of 0', edit: (c) => { fn(c, 1).timeout = 0; }, expect: { code: 'CONFIG_INVALID', field: 'functions[1].timeout', says: 'at least 1', hint: 'Fix the field' } },
  { name: 'a timeout above 15 minutes', edit: (c) => { fn(c, 1).timeout = 901; }, expect: { code: 'CONFIG_INVALID', field: 'functions[1].timeout', says: 'at most 900', hint: 'Fix the field' } },
  { name: 'a fractional timeout', edit: (c) => { fn(c, 1).timeout = 2.5; }, expect: { code: 'CONFIG_INVALID', field: 'functions[1].timeout', says: 'a whole number from 1 to 900', hint: 'got the number 2.5' } },
  { name: 'an unknown runtime', edit: (c) => { fn(c, 0).runtime = 'python2.7'; }, expect: { code: 'CONFIG_INVALID', field: 'functions[0].runtime', says: 'expected one of', hint: 'python3.13, python3.12, python3.11, nodejs22.x' } },
  { name: 'an unknown access grant', edit: (c) => { fn(c, 0).access = ['table:write']; }, expect: { code: 'CONFIG_INVALID', field: 'functions[0].access[0]', says: 'expected one of', hint: 'table:readwrite' } },
  { name: 'a function without a handler', edit: (c) => { delete fn(c, 2).handler; }, expect: { code: 'CONFIG_INVALID', field: 'functions[2].handler', says: 'missing', hint: 'such as "orders.handlers.api.handler"' } },
  { name: 'a Python handler written as a path', edit: (c) => { fn(c, 0).handler = 'demo/handlers/api.handler'; }, expect: { code: 'CONFIG_INVALID', field: 'functions[0].handler', says: 'is not a Python handler', hint: 'expected "<package>.handlers.<module>.handler"' } },
  { name: 'a function name with capitals', edit: (c) => { fn(c, 0).name = 'Api'; }, expect: { code: 'CONFIG_INVALID', field: 'functions[0].name', says: 'expected lowercase letters, digits and hyphens', hint: 'e.g. "log-processor"' } },
  { name: 'an environment variable name with a hyphen', edit: (c) => { fn(c, 0).environment = { 'LOG-LEVEL': 'debug' }; }, expect: { code: 'CONFIG_INVALID', field: 'functions[0].environment.LOG-LEVEL', says: 'invalid name', hint: 'e.g. "LOG_LEVEL"' } },

  // Triggers.
  { name: 'triggers as an object', edit: (c) => { fn(c, 1).triggers = { type: 's3' }; }, expect: { code: 'CONFIG_INVALID', field: 'functions[1].triggers', says: 'expected a list of triggers', hint: 'got an object' } },
  { name: 'a trigger of an unknown type', edit: (c) => { fn(c, 1).triggers = [{ type: 'sns' }]; }, expect: { code: 'CONFIG_INVALID', field: 'functions[1].triggers[0].type', says: 'expected a trigger with "type"', hint: 'http, schedule, s3, queue' } },
  { name: 'a trigger given as a string', edit: (c) => { fn(c, 1).triggers = ['s3']; }, expect: { code: 'CONFIG_INVALID', field: 'functions[1].triggers[0]', says: 'expected a trigger', hint: 'got the string "s3"' } },
  { name: 'an unknown field in an http trigger', edit: (c) => { fn(c, 0).triggers[0].verb = 'GET'; }, expect: { code: 'CONFIG_INVALID', field: 'functions[0].triggers[0].verb', says: 'unknown field', hint: 'allowed here: type, method, path' } },
  { name: 'a schedule that is not rate() or cron()', edit: (c) => { fn(c, 2).triggers[0].expression = 'every 5 minutes'; }, expect: { code: 'CONFIG_INVALID', field: 'functions[2].triggers[0].expression', says: 'expected "rate(N minutes|hours|days)"', hint: 'six-field "cron(...)"' } },
  { name: 'a cron with five fields', edit: (c) => { fn(c, 4).triggers[0].expression = 'cron(0 3 * * *)'; }, expect: { code: 'CONFIG_INVALID', field: 'functions[4].triggers[0].expression', says: 'expected "rate(N minutes|hours|days)"', hint: 'six-field "cron(...)"' } },
  { name: 'an HTTP method that does not exist', edit: (c) => { fn(c, 0).triggers[0].method = 'FETCH'; }, expect: { code: 'CONFIG_INVALID', field: 'functions[0].triggers[0].method', says: 'expected one of', hint: 'GET, POST, PUT, PATCH, DELETE, ANY' } },
  { name: 'a route path without a leading slash', edit: (c) => { fn(c, 0).triggers[0].path = 'items'; }, expect: { code: 'CONFIG_INVALID', field: 'functions[0].triggers[0].path', says: 'expected a route path starting with "/"', hint: 'such as "/orders/{id}"' } },
  { name: 'a queue batch size of 0', edit: (c) => { fn(c, 3).triggers[0].batchSize = 0; }, expect: { code: 'CONFIG_INVALID', field: 'functions[3].triggers[0].batchSize', says: 'at least 1', hint: 'Fix the field' } },
  { name: 'an http trigger without the API feature', edit: (c) => { delete c.features.api; }, expect: { code: 'CONFIG_INVALID', field: 'functions[0].triggers[0]', says: 'an http trigger needs the API', hint: 'add "api": { "type": "rest" } under "features"' } },
  { name: 'two consumers of the work queue', edit: (c) => { fn(c, 4).triggers.push({ type: 'queue' }); }, expect: { code: 'CONFIG_INVALID', field: 'functions[4].triggers[1]', says: 'the work queue is already consumed by function "analysis"', hint: 'two consumers would split its messages' } },

  // Features.
  { name: 'an unknown API type', edit: (c) => { c.features.api.type = 'graphql'; }, expect: { code: 'CONFIG_INVALID', field: 'features.api.type', says: 'expected "rest"', hint: '"http" (HTTP API)' } },
  { name: 'vpc as a string', edit: (c) => { c.features.vpc = 'yes'; }, expect: { code: 'CONFIG_INVALID', field: 'features.vpc', says: 'expected true or false', hint: 'got the string "yes"' } },
  { name: 'a GitHub repository without an owner', edit: (c) => { c.features.pipeline = { github: 'orders' }; }, expect: { code: 'CONFIG_INVALID', field: 'features.pipeline.github', says: 'expected "owner/repository"', hint: 'e.g. "acme/orders"' } },

  // Sources on disk.
  { name: "a function's source directory missing", edit: (c) => { fn(c, 1).source = 'lib'; }, expect: { code: 'FUNCTION_SOURCE_MISSING', field: 'functions[1].source', says: 'directory "lib" of function "log-processor" does not exist', hint: 'Create the directory or point "source"' } },
  { name: "a function's handler file missing", files: (dir) => rm(path.join(dir, 'src/demo/handlers/backup.py')), expect: { code: 'FUNCTION_HANDLER_MISSING', field: 'functions[4].handler', says: 'needs src/demo/handlers/backup.py', hint: 'Create that file with a "handler" function' } },

  // Duplicates.
  { name: 'two functions of the same name', edit: (c) => { fn(c, 2).name = 'api'; }, expect: { code: 'CONFIG_INVALID', field: 'functions[2].name', says: '"api" is already the name of functions[0]', hint: 'function names must be unique' } },
  { name: 'two functions on the same route', edit: (c) => { fn(c, 1).triggers.push({ type: 'http', method: 'GET', path: '/items/{id}' }); }, expect: { code: 'CONFIG_INVALID', field: 'functions[1].triggers[1]', says: 'route GET /items/{id} is already served by function "api"', hint: 'Fix the fields named above' } },

  // AWS name limits once names are prefixed with project and stage. Stack (128) and queue (80)
  // names cannot exceed theirs: project (20) and stage (10) are capped below them. Role names are
  // left to CloudFormation, which keeps them within 64.
  { name: 'a Lambda name over 64 characters', edit: (c) => { fn(c, 3).name = `analysis-${'x'.repeat(50)}`; }, expect: { code: 'CONFIG_INVALID', field: 'functions[3].name', says: 'characters) in stage "dev"; AWS allows 64', hint: 'Shorten the function, project or stage name' } },
  { name: 'a bucket name over 63 characters', edit: (c) => { c.project = 'orders-platform-core'; c.stages = { sandbox123: { account: '123456789012', region: 'ap-southeast-2' } }; }, args: ['deploy', 'sandbox123'], expect: { code: 'CONFIG_INVALID', field: 'stages.sandbox123', says: 'the bucket name "orders-platform-core-sandbox123-data-123456789012-ap-southeast-2" is 64 characters; S3 allows 63', hint: 'Shorten the project or stage name' } },
  { name: 'a project name over 20 characters', edit: (c) => { c.project = 'orders-platform-core-x'; }, expect: { code: 'CONFIG_INVALID', field: 'project', says: 'expected at most 20 characters', hint: 'it prefixes every resource name' } },
  { name: 'a stage name over 10 characters', edit: (c) => { c.stages.development = c.stages.dev; }, expect: { code: 'CONFIG_INVALID', field: 'stages.development', says: 'invalid name', hint: 'at most 10 characters' } },

  // Raw CloudFormation extensions (extensions.<kind> in the config), refused at synth.
  { name: 'raw CloudFormation: an unknown property', edit: (c) => { c.extensions = { storage: { resources: { AuditTable: { ...rawTable, Properties: { ...rawTable.Properties, BilingMode: 'PAY_PER_REQUEST' } } } } }; }, expect: { code: 'EXTENSION_INVALID', field: 'extensions.storage.resources.AuditTable.Properties.BilingMode', says: 'AWS::DynamoDB::Table has no property "BilingMode"', hint: 'did you mean "BillingMode"?' } },
  { name: 'raw CloudFormation: an unknown property in a stage layer (bootstrapped)', bootstrap: true, edit: (c) => { c.extensions = { storage: { resources: { AuditTable: rawTable } } }; c.stages.dev.extensions = { storage: { resources: { AuditTable: { Properties: { PointInTimeRecovery: true } } } } }; }, expect: { code: 'EXTENSION_INVALID', field: 'stages.dev.extensions.storage.resources.AuditTable.Properties.PointInTimeRecovery', says: 'has no property "PointInTimeRecovery"', hint: 'did you mean "PointInTimeRecoverySpecification"?' } },
  { name: 'raw CloudFormation: an unknown resource type', edit: (c) => { c.extensions = { messaging: { resources: { Bus: { Type: 'AWS::Events::EventBuss', Properties: { Name: 'audit' } } } } }; }, expect: { code: 'EXTENSION_INVALID', field: 'extensions.messaging.resources.Bus.Type', says: '"AWS::Events::EventBuss" is no CloudFormation resource type', hint: 'did you mean "AWS::Events::EventBus"?' } },
  { name: 'raw CloudFormation: a reference to a missing spec3 resource', edit: (c) => { c.extensions = { compute: { resources: { Q: rawQueue('storage.tabel.arn') } } }; }, expect: { code: 'EXTENSION_REF_MISSING', field: 'extensions.compute.resources.Q.Properties.Tags[0].Value', says: '"storage.tabel.arn" is no spec3 resource of stage dev', hint: 'storage.table.arn, storage.table.name' } },
  { name: 'raw CloudFormation: a reference to a later phase', edit: (c) => { c.extensions = { storage: { resources: { Q: rawQueue('compute.functions.api.arn') } } }; }, expect: { code: 'PHASE_ORDER', field: 'extensions.storage.resources.Q.Properties.Tags[0].Value', says: 'a later phase than demo-dev-storage (phase foundation)', hint: 'of a stack of phase app or later' } },
  { name: 'raw CloudFormation: an unknown stack kind', edit: (c) => { c.extensions = { storge: { resources: { AuditTable: rawTable } } }; }, expect: { code: 'CONFIG_INVALID', field: 'extensions.storge', says: 'unknown field', hint: 'did you mean "storage"?' } },
  { name: 'raw CloudFormation: a stack past 500 resources', edit: (c) => { c.extensions = { monitoring: { resources: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`Queue${i}`, { Type: 'AWS::SQS::Queue' }])) } }; }, expect: { code: 'STACK_LIMIT', field: 'extensions.monitoring', says: 'CloudFormation allows 500 (500 of them from extensions.monitoring', hint: 'Move some of extensions.monitoring' } },
  { name: "raw CloudFormation: a logical id of spec3's own", edit: (c) => { c.extensions = { messaging: { resources: { WorkQueue94013F35: { Type: 'AWS::SQS::Queue' } } } }; }, expect: { code: 'EXTENSION_LOGICAL_ID_CLASH', field: 'extensions.messaging.resources.WorkQueue94013F35', says: "is already a logical id of spec3's own demo-dev-messaging template", hint: 'Rename it' } },
  { name: 'raw CloudFormation: a stack kind the stage does not have', edit: (c) => { c.extensions = { edge: { resources: { Q: rawQueue('storage.table.arn') } } }; }, expect: { code: 'EXTENSION_STACK_MISSING', field: 'extensions.edge', says: 'stage dev has no edge stack', hint: 'Move the block to extensions.<kind>' } },

  // The command line.
  { name: 'an unknown stage', args: ['deploy', 'qa'], expect: { code: 'UNKNOWN_STAGE', field: 'Unknown stage "qa"', says: 'defines "dev", "staging", "prod"', hint: 'add "qa" under "stages"' } },
  { name: 'a misspelt stage', args: ['deploy', 'dve'], expect: { code: 'UNKNOWN_STAGE', field: 'Unknown stage "dve"', says: 'did you mean "dev"?', hint: 'add "dve" under "stages"' } },
  { name: 'an unknown --require-approval', args: ['deploy', 'dev', '--require-approval', 'sometimes'], expect: { code: 'INVALID_OPTION', field: '--require-approval "sometimes"', says: 'expected one of never, broadening, any', hint: 'leave it out for "broadening"', file: null } },
  { name: 'an unknown phase', args: ['deploy', 'dev', '--phase', 'foo'], expect: { code: 'UNKNOWN_PHASE', field: '--phase "foo"', says: 'unknown phase', hint: 'foundation, app, integrations', file: null } },
  { name: 'an unknown stack', args: ['deploy', 'dev', '--stack', 'nope'], expect: { code: 'UNKNOWN_STACK', field: '--stack nope', says: 'stage dev has no stack "nope"', hint: 'demo-dev-compute', file: null } },
  { name: '--concurrency 0', args: ['deploy', 'dev', '--concurrency', '0'], expect: { code: 'INVALID_OPTION', field: '--concurrency "0"', says: 'expected a whole number from 1 to 16', hint: 'leave the flag out for its default', file: null } },
  { name: '--concurrency not a number', args: ['drift', 'dev', '--concurrency', 'lots'], expect: { code: 'INVALID_OPTION', field: '--concurrency "lots"', says: 'expected a whole number from 1 to 32', hint: 'leave the flag out for its default', file: null } },
  { name: '--timeout -1 on drift', args: ['drift', 'dev', '--timeout', '-1'], expect: { code: 'INVALID_OPTION', field: '--timeout "-1"', says: 'expected a whole number from 1 to 3600', hint: 'leave the flag out for its default', file: null } },
  { name: '--max-attempts 0', args: ['deploy', 'dev', '--max-attempts', '0'], expect: { code: 'BAD_MAX_ATTEMPTS', field: '--max-attempts', says: 'must be an integer from 1 to 20', hint: 'leave it out for the default of 8', file: null } },
  { name: 'an unknown flag', args: ['deploy', 'dev', '--stage', 'dev'], expect: { code: 'UNKNOWN_OPTION', field: "'--stage'", says: 'unknown option', hint: '`spec3 deploy --help`', file: null } },
  { name: 'no stage argument', args: ['diff'], expect: { code: 'MISSING_ARGUMENT', field: "'stage'", says: 'missing required argument', hint: '`spec3 diff --help`', file: null } },
  { name: 'a later phase before the foundation', bootstrap: true, args: ['deploy', 'dev', '--phase', 'app'], expect: { code: 'PHASE_NOT_DEPLOYED', field: '--phase foundation', says: 'Phase app needs phase foundation deployed first', hint: 'demo-dev-network (not created)', file: null } },
  { name: 'one stack before the stacks it depends on', bootstrap: true, args: ['deploy', 'dev', '--stack', 'api'], expect: { code: 'PHASE_NOT_DEPLOYED', field: '--phase foundation', says: 'needs phase foundation deployed first', hint: '`spec3 deploy dev`', file: null } },

  // One bad config fails the same way in every command that reads it (deploy: above).
  { name: 'a bad config: deploy (bootstrapped)', bootstrap: true, edit: lowMemory, expect: lowMemoryExpect },
  { name: 'a bad config: diff', edit: lowMemory, args: ['diff', 'dev'], expect: lowMemoryExpect },
  { name: 'a bad config: drift', edit: lowMemory, args: ['drift', 'dev'], expect: lowMemoryExpect },
  { name: 'a bad config: synth', edit: lowMemory, args: ['synth', 'dev'], expect: lowMemoryExpect },
  { name: 'a bad config: list', edit: lowMemory, args: ['list', 'dev'], expect: lowMemoryExpect },
  { name: 'a bad config: status', edit: lowMemory, args: ['status', 'dev'], expect: lowMemoryExpect },
  { name: 'a bad config: destroy', edit: lowMemory, args: ['destroy', 'dev', '--force'], expect: lowMemoryExpect },
  { name: 'a bad config: bootstrap', edit: lowMemory, args: ['bootstrap', 'dev'], expect: lowMemoryExpect },
  { name: 'an unknown stage: status', args: ['status', 'qa'], expect: { code: 'UNKNOWN_STAGE', field: 'Unknown stage "qa"', hint: 'add "qa" under "stages"' } },
  { name: 'an unknown stage: destroy', args: ['destroy', 'qa', '--force'], expect: { code: 'UNKNOWN_STAGE', field: 'Unknown stage "qa"', hint: 'add "qa" under "stages"' } },
  { name: 'an unknown phase: diff', args: ['diff', 'dev', '--phase', 'foo'], expect: { code: 'UNKNOWN_PHASE', field: '--phase "foo"', hint: 'foundation, app, integrations', file: null } },
  { name: 'an unknown phase: drift', args: ['drift', 'dev', '--phase', 'foo'], expect: { code: 'UNKNOWN_PHASE', field: '--phase "foo"', hint: 'foundation, app, integrations', file: null } },
  { name: 'an unknown phase: destroy', args: ['destroy', 'dev', '--phase', 'foo', '--force'], expect: { code: 'UNKNOWN_PHASE', field: '--phase "foo"', hint: 'foundation, app, integrations', file: null } },
  { name: 'an unknown stack: diff', args: ['diff', 'dev', '--stack', 'nope'], expect: { code: 'UNKNOWN_STACK', field: '--stack nope', hint: 'demo-dev-compute', file: null } },

  // Code extensions (spec3.extend.ts beside the config): the file and line, never "bug in spec3".
  { name: 'an extension with a syntax error', bootstrap: true, files: extension('import { defineExtensions } from \'spec3/extend\';\nexport default defineExtensions({\n  storage({ stack ) {},\n});\n'), expect: { code: 'EXTENSION_SYNTAX', field: 'spec3.extend.ts:3:', says: 'Expected', hint: 'Fix spec3.extend.ts:3:', file: EXT } },
  { name: 'an extension hook that throws', bootstrap: true, files: extension("import { defineExtensions } from 'spec3/extend';\nexport default defineExtensions({\n  messaging() {\n    throw new Error('no second queue yet');\n  },\n});\n"), expect: { code: 'EXTENSION_HOOK_FAILED', field: 'spec3.extend.ts:4:11', says: 'the messaging hook threw: no second queue yet', hint: 'Fix the messaging hook in spec3.extend.ts', file: EXT } },
  { name: 'an extension consuming from a later phase', bootstrap: true, files: extension("import { defineExtensions } from 'spec3/extend';\nexport default defineExtensions({\n  storage({ consume }) {\n    consume('compute', 'fn-api-arn');\n  },\n});\n"), expect: { code: 'PHASE_ORDER', field: 'spec3.extend.ts:4:5 (storage hook)', says: 'references demo-dev-compute (phase app, a later phase)', hint: 'Move the resource', file: EXT } },
  { name: 'an extension hook for an unknown stack kind', bootstrap: true, files: extension("import { defineExtensions } from 'spec3/extend';\nexport default defineExtensions({\n  storag() {},\n} as never);\n"), expect: { code: 'EXTENSION_UNKNOWN_KIND', field: 'spec3.extend.ts:3', says: 'Stack kinds: network, security, storage', hint: 'Rename the hook in spec3.extend.ts', file: EXT } },
];

/**
 * Bad input through the built binary against the local AWS: every case is refused with a named
 * error (exit 1) whose message names the file and field, or the flag, and says how to fix it —
 * and nothing in the account changes, bootstrapped or not.
 */
describe('bad input is refused before anything changes', () => {
  const local = useLocalAws();
  let parent = '';
  let template = '';

  beforeAll(async () => {
    parent = await mkdtemp(path.join(os.tmpdir(), 'spec3-bad-input-'));
    template = await initProject(parent);
  });
  afterAll(() => rm(parent, { recursive: true, force: true }));

  const client = <T>(C: new (config: object) => T): T => awsClient(C, local.endpoint());
  /** Every stack (deleted ones included), SSM parameter and bucket in the account. */
  const accountState = async () => ({
    stacks: ((await client(CloudFormationClient).send(new ListStacksCommand({}))).StackSummaries ?? []).map((s) => s.StackName).sort(),
    parameters: ((await client(SSMClient).send(new DescribeParametersCommand({}))).Parameters ?? []).map((p) => p.Name).sort(),
    buckets: ((await client(S3Client).send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name).sort(),
  });

  /** A fresh copy of the scaffolded project. */
  async function project(c: BadInput): Promise<string> {
    const dir = path.join(parent, c.name.replace(/[^a-z0-9]+/gi, '-'));
    await rm(dir, { recursive: true, force: true });
    await cp(template, dir, { recursive: true });
    return dir;
  }

  /** Makes the case's change to the project in `dir`. */
  async function spoil(c: BadInput, dir: string): Promise<void> {
    const file = path.join(dir, FILE);
    if (c.edit) {
      const config = JSON.parse(await readFile(file, 'utf8')) as Config;
      c.edit(config);
      await writeFile(file, JSON.stringify(config, null, 2));
    }
    if (c.text === null) await rm(file);
    else if (c.text !== undefined) await writeFile(file, c.text);
    await c.files?.(dir);
  }

  it(`has at least 40 cases (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = await project(c);
    const run = (...args: string[]) => spec3(args, dir, awsEnv(local.endpoint()));
    // Bootstrapped while the project is still good: bootstrap reads the config too.
    if (c.bootstrap) expect((await run('bootstrap', 'dev')).exitCode).toBe(0);
    await spoil(c, dir);
    const before = await accountState();
    expect(before.stacks).toEqual(c.bootstrap ? ['CDKToolkit'] : []);
    const args = c.args ?? ['deploy', 'dev'];
    const { code, field, says, hint } = c.expect;
    const file = c.expect.file === undefined ? FILE : c.expect.file;

    const text = await run(...args);
    expect(text.exitCode, text.all).toBe(1);
    expect(text.stdout, text.all).toBe('');
    expect(text.stderr).not.toMatch(/Unexpected error|\n\s+at /);
    const shown = text.stderr.slice(text.stderr.indexOf('✖'));
    for (const part of [field, says, hint, file]) if (part) expect(shown, text.all).toContain(part);

    const json = await run(...args, '--json');
    expect(json.exitCode, json.all).toBe(1);
    const body = JSON.parse(json.stdout) as { error: { code: string; message: string; hint?: string } };
    expect(body.error.code, json.stdout).toBe(code);
    expect(`${body.error.message}\n${body.error.hint}`).toContain(field);
    expect(body.error.hint, json.stdout).toBeTruthy();

    expect(await accountState()).toEqual(before);
  });
});
