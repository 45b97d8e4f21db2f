import path from 'node:path';
import type { Context } from '../../context.js';
import { DEFAULT_STAGES } from '../../config/presets.js';
import { DEFAULT_RUNTIME, isPython, RUNTIME_CREATE_BLOCKED, RUNTIMES, type Runtime } from '../../config/schema.js';
import { Spec3Error } from '../../errors.js';
import type { ApiType, InitAnswers, InitOptions, StageAnswer } from './types.js';
import {
  sanitizeProjectName,
  validateAccount,
  validateGithub,
  validateProject,
  validateRegion,
  validateRuntime,
} from './validate.js';

/** Defaults that let a fresh project synthesize as-is (moto's account, the default region). */
export const DEFAULT_ACCOUNT = '123456789012';
export const DEFAULT_REGION = 'us-east-1';

function runtimeDescription(runtime: Runtime): string {
  const code = isPython(runtime) ? 'boto3 handlers, unittest tests' : 'AWS SDK v3 handlers, node --test tests';
  const blocked = RUNTIME_CREATE_BLOCKED[runtime];
  return blocked ? `${code}; Lambda stops creating functions with it on ${blocked}` : code;
}

/** A flag value is checked like an answer, but a bad one is an error: there is nobody to re-ask. */
function checkFlag(flag: string, value: string | undefined, validate: (v: string) => string | undefined): void {
  if (value === undefined) return;
  const problem = validate(value);
  if (problem) throw new Spec3Error('INIT_INVALID_OPTION', `${flag} "${value}": ${problem}.`, `Fix ${flag}, or leave it out to be asked.`);
}

export function checkOptions(options: InitOptions): void {
  checkFlag('--name', options.name, validateProject);
  checkFlag('--runtime', options.runtime, validateRuntime);
  checkFlag('--account', options.account, validateAccount);
  checkFlag('--region', options.region, validateRegion);
  checkFlag('--github', options.github, validateGithub);
}

/**
 * Asks what the flags did not say, in a fixed order. Every question has a default that makes a
 * working project, because under `--yes` the host answers every question with its default.
 */
export async function gatherAnswers(options: InitOptions, dir: string, io: Context['io']): Promise<InitAnswers> {
  const project =
    options.name ??
    (await io.ask({
      code: 'INIT_NAME',
      kind: 'text',
      message: 'Project name (prefixes every stack and resource)',
      default: sanitizeProjectName(path.basename(dir)),
      validate: validateProject,
    }));

  const runtime: Runtime =
    options.runtime ??
    ((await io.ask({
      code: 'INIT_RUNTIME',
      kind: 'select',
      message: 'Runtime of the functions',
      default: DEFAULT_RUNTIME,
      choices: RUNTIMES.map((value) => ({ value, name: value, description: runtimeDescription(value) })),
    })) as Runtime);

  const stageNames = await io.ask({
    code: 'INIT_STAGES',
    kind: 'checkbox',
    message: 'Stages',
    default: [...DEFAULT_STAGES],
    choices: DEFAULT_STAGES.map((s) => ({ value: s, name: s })),
    validate: (v) => (v.length === 0 ? 'choose at least one stage' : undefined),
  });
  // Keep the canonical order (dev before prod) whatever order the host returned them in.
  const chosen = DEFAULT_STAGES.filter((s) => stageNames.includes(s));

  const stages: StageAnswer[] = [];
  for (const name of chosen) {
    // Each stage defaults to the previous stage's answer: most teams use one region, often one account.
    const previous = stages.at(-1);
    const account =
      options.account ??
      (await io.ask({
        code: `INIT_ACCOUNT_${name.toUpperCase()}`,
        kind: 'text',
        message: `AWS account id of ${name}`,
        default: previous?.account ?? DEFAULT_ACCOUNT,
        validate: validateAccount,
      }));
    const region =
      options.region ??
      (await io.ask({
        code: `INIT_REGION_${name.toUpperCase()}`,
        kind: 'text',
        message: `AWS region of ${name}`,
        default: previous?.region ?? DEFAULT_REGION,
        validate: validateRegion,
      }));
    stages.push({ name, account, region });
  }

  const api = (await io.ask({
    code: 'INIT_API',
    kind: 'select',
    message: 'API in front of the functions',
    default: 'rest',
    choices: [
      { value: 'rest', name: 'REST API', description: 'API Gateway REST: throttling, caching, WAF' },
      { value: 'http', name: 'HTTP API', description: 'API Gateway HTTP API: cheaper, fewer features' },
      { value: 'none', name: 'none', description: 'no API; drops the api function' },
    ],
  })) as ApiType;

  const vpc = await io.ask({ code: 'INIT_VPC', kind: 'confirm', message: 'Create a VPC per stage?', default: true });

  const github =
    options.github ??
    (await io.ask({
      code: 'INIT_GITHUB',
      kind: 'text',
      message: 'GitHub repository (owner/repo) to deploy from with OIDC; empty for no pipeline',
      default: '',
      validate: validateGithub,
    }));

  const git =
    options.git ?? (await io.ask({ code: 'INIT_GIT', kind: 'confirm', message: 'Initialize a git repository?', default: true }));

  return { project, runtime, stages, api, vpc, github: github === '' ? undefined : github, git, ...(options.extend ? { extend: true } : {}) };
}
