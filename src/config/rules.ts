import { Spec3Error } from '../errors.js';
import { NAME_LIMITS, bucketName, functionName } from '../stack/naming.js';
import { layeredSettings } from './presets.js';
import { isPython, type Spec3Config } from './schema.js';

/** Memory Fargate accepts per CPU setting (MiB). */
const FARGATE_MEMORY: Record<number, (mib: number) => boolean> = {
  256: (m) => [512, 1024, 2048].includes(m),
  512: (m) => m >= 1024 && m <= 4096 && m % 1024 === 0,
  1024: (m) => m >= 2048 && m <= 8192 && m % 1024 === 0,
  2048: (m) => m >= 4096 && m <= 16384 && m % 1024 === 0,
  4096: (m) => m >= 8192 && m <= 30720 && m % 1024 === 0,
};
const FARGATE_MEMORY_TEXT: Record<number, string> = {
  256: 'use 512, 1024 or 2048',
  512: 'use 1024 to 4096 in steps of 1024',
  1024: 'use 2048 to 8192 in steps of 1024',
  2048: 'use 4096 to 16384 in steps of 1024',
  4096: 'use 8192 to 30720 in steps of 1024',
};

/**
 * Rules that span fields, checked once after the schema: duplicates, features a trigger needs,
 * and AWS name limits once names are prefixed with project and stage.
 */
export function checkConfigRules(config: Spec3Config, file: string): void {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const routes = new Map<string, string>();
  let queueConsumer: string | undefined;

  config.functions.forEach((fn, i) => {
    const at = `${file}: functions[${i}]`;
    const first = seen.get(fn.name);
    if (first !== undefined) {
      problems.push(`${at}.name: "${fn.name}" is already the name of functions[${first}]; function names must be unique.`);
    } else seen.set(fn.name, i);

    if (isPython(fn.runtime) && !/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$/.test(fn.handler)) {
      problems.push(`${at}.handler: "${fn.handler}" is not a Python handler; expected "<package>.handlers.<module>.handler".`);
    }

    fn.triggers.forEach((trigger, t) => {
      if (trigger.type === 'http') {
        if (!config.features.api) {
          problems.push(
            `${at}.triggers[${t}]: an http trigger needs the API; add "api": { "type": "rest" } under "features".`,
          );
        }
        const key = `${trigger.method} ${trigger.path}`;
        const owner = routes.get(key);
        if (owner) problems.push(`${at}.triggers[${t}]: route ${key} is already served by function "${owner}".`);
        else routes.set(key, fn.name);
      }
      if (trigger.type === 'queue') {
        if (queueConsumer && queueConsumer !== fn.name) {
          problems.push(
            `${at}.triggers[${t}]: the work queue is already consumed by function "${queueConsumer}"; two consumers would split its messages.`,
          );
        } else queueConsumer = fn.name;
      }
    });
  });

  for (const [stage, own] of Object.entries(config.stages)) {
    const scope = { project: config.project, stage };
    for (const [i, fn] of config.functions.entries()) {
      const name = functionName(scope, fn.name);
      if (name.length > NAME_LIMITS.lambda) {
        problems.push(
          `${file}: functions[${i}].name: "${fn.name}" makes the Lambda name "${name}" (${name.length} characters) in stage "${stage}"; AWS allows ${NAME_LIMITS.lambda}. Shorten the function, project or stage name.`,
        );
      }
    }
    const settings = layeredSettings(stage, config.defaults, own);
    // A missing account or region is reported when the stage is resolved; until then, measure with stand-ins.
    const bucket = bucketName({ ...scope, account: settings.account ?? '123456789012', region: settings.region ?? 'us-east-1' });
    if (bucket.length > NAME_LIMITS.bucket) {
      problems.push(
        `${file}: stages.${stage}: the bucket name "${bucket}" is ${bucket.length} characters; S3 allows ${NAME_LIMITS.bucket}. Shorten the project or stage name.`,
      );
    }
    const names = new Set(config.functions.map((f) => f.name));
    for (const fn of Object.keys(own.functions ?? {})) {
      if (!names.has(fn)) {
        problems.push(
          `${file}: stages.${stage}.functions.${fn}: there is no function "${fn}"; ${names.size > 0 ? `the functions are ${[...names].map((n) => `"${n}"`).join(', ')}` : 'the config has no functions'}.`,
        );
      }
    }
    for (const [fn, block] of Object.entries(settings.functions ?? {})) {
      const reserved = block.reservedConcurrency;
      const provisioned = block.provisionedConcurrency;
      if (reserved !== undefined && provisioned !== undefined && provisioned > reserved) {
        problems.push(
          `${file}: stages.${stage}.functions.${fn}.provisionedConcurrency: ${provisioned} is more than its reservedConcurrency ${reserved}; Lambda cannot keep more environments ready than it may run.`,
        );
      }
    }
    if (config.features.service) {
      const sv = settings.service!;
      if (sv.minCount! > sv.maxCount! || sv.desiredCount! < sv.minCount! || sv.desiredCount! > sv.maxCount!) {
        problems.push(
          `${file}: stages.${stage}.service: expected minCount <= desiredCount <= maxCount, got ${sv.minCount} <= ${sv.desiredCount} <= ${sv.maxCount}.`,
        );
      }
      const memory = FARGATE_MEMORY[sv.cpu!];
      if (memory && !memory(sv.memory!)) {
        problems.push(
          `${file}: stages.${stage}.service.memory: ${sv.memory} MiB does not go with ${sv.cpu} CPU units on Fargate; ${FARGATE_MEMORY_TEXT[sv.cpu!]}.`,
        );
      }
    }
    const azs = settings.availabilityZones?.length ?? settings.azs!;
    if (settings.natGateways! > azs) {
      problems.push(
        `${file}: stages.${stage}.natGateways: ${settings.natGateways} NAT gateways for ${azs} availability zones; set natGateways to ${azs} or fewer.`,
      );
    }
  }

  for (const feature of ['service', 'search', 'graph'] as const) {
    if (config.features[feature] && !config.features.vpc) {
      problems.push(`${file}: features.${feature}: runs in the stage's VPC; remove "vpc": false from "features".`);
    }
  }

  if (problems.length > 0) {
    throw new Spec3Error(
      'CONFIG_INVALID',
      problems.length === 1 ? problems[0]! : `${file} has ${problems.length} problems:\n  ${problems.join('\n  ')}`,
      'Fix the fields named above.',
    );
  }
}
