import { isPython, type AccessGrant, type Spec3ConfigInput } from '../../config/schema.js';
import type { InitAnswers } from './types.js';

type FunctionInput = NonNullable<Spec3ConfigInput['functions']>[number];
type TriggerInput = NonNullable<FunctionInput['triggers']>[number];

interface FunctionSpec {
  readonly name: string;
  readonly access: readonly AccessGrant[];
  readonly triggers: readonly TriggerInput[];
}

/**
 * The functions of the system spec3 grew out of: an items API, a log processor fed by the bucket,
 * a health monitor and a nightly backup on schedules, and an analysis worker on the work queue.
 * Each gets only the access it uses (see the handlers under templates/).
 */
const FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'api',
    access: ['table:readwrite'],
    triggers: [
      { type: 'http', method: 'GET', path: '/items' },
      { type: 'http', method: 'POST', path: '/items' },
      { type: 'http', method: 'GET', path: '/items/{id}' },
    ],
  },
  { name: 'log-processor', access: ['bucket:read', 'table:readwrite'], triggers: [{ type: 's3', prefix: 'logs/' }] },
  {
    name: 'health-monitor',
    access: ['table:read', 'queue:send', 'topic:publish'],
    triggers: [{ type: 'schedule', expression: 'rate(5 minutes)' }],
  },
  {
    name: 'analysis',
    access: ['queue:consume', 'table:readwrite', 'bucket:readwrite'],
    triggers: [{ type: 'queue', batchSize: 10 }],
  },
  {
    name: 'backup',
    access: ['table:read', 'bucket:readwrite'],
    triggers: [{ type: 'schedule', expression: 'cron(0 3 * * ? *)' }],
  },
];

/** `log-processor` -> `log_processor`: a valid Python module and a plain file name. */
export const moduleName = (fn: string): string => fn.replace(/-/g, '_');
/** `my-orders` -> `my_orders`: the Python package the handlers live in. */
export const packageName = (project: string): string => project.replace(/-/g, '_');

export function handlerFor(answers: Pick<InitAnswers, 'project' | 'runtime'>, fn: string): string {
  return isPython(answers.runtime)
    ? `${packageName(answers.project)}.handlers.${moduleName(fn)}.handler`
    : `handlers/${moduleName(fn)}.handler`;
}

/** Every function init knows, in config order. */
export const ALL_FUNCTIONS: readonly string[] = FUNCTIONS.map((f) => f.name);

/** Names of the functions the project gets: without an API there is nothing to serve `api`. */
export function functionNames(answers: Pick<InitAnswers, 'api'>): string[] {
  return FUNCTIONS.filter((f) => answers.api !== 'none' || f.name !== 'api').map((f) => f.name);
}

/**
 * The `spec3.config.json` of a new project. Only account and region are written per stage: sizing,
 * protection and alarms come from the built-in presets, so the file stays short and later spec3
 * versions can improve them. No `alarmEmail` (an address nobody confirmed would bounce).
 */
export function buildConfig(answers: InitAnswers): Spec3ConfigInput {
  const names = new Set(functionNames(answers));
  return {
    $schema: './node_modules/spec3/schema/spec3.config.schema.json',
    project: answers.project,
    stages: Object.fromEntries(answers.stages.map((s) => [s.name, { account: s.account, region: s.region }])),
    features: {
      ...(answers.api === 'none' ? {} : { api: { type: answers.api } }),
      vpc: answers.vpc,
      ...(answers.github ? { pipeline: { github: answers.github } } : {}),
    },
    functions: FUNCTIONS.filter((f) => names.has(f.name)).map((f) => ({
      name: f.name,
      runtime: answers.runtime,
      handler: handlerFor(answers, f.name),
      source: 'src',
      access: [...f.access],
      triggers: [...f.triggers],
    })),
  };
}
