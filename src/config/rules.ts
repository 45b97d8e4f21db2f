import { Spec3Error } from '../errors.js';
import { NAME_LIMITS, bucketName, functionName } from '../stack/naming.js';
import { layeredSettings } from './presets.js';
import { isPython, type Spec3Config } from './schema.js';

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
    const azs = settings.availabilityZones?.length ?? settings.azs!;
    if (settings.natGateways! > azs) {
      problems.push(
        `${file}: stages.${stage}.natGateways: ${settings.natGateways} NAT gateways for ${azs} availability zones; set natGateways to ${azs} or fewer.`,
      );
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
