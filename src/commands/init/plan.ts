import { composeOverlays, renderPartial, type PlannedFile, type TemplateTree } from '../../templates/plan.js';
import type { TemplateVars } from '../../templates/render.js';
import { ALL_FUNCTIONS, buildConfig, functionNames, handlerFor, moduleName, packageName } from './config.js';
import { resolveStage } from '../../config/resolve.js';
import { configSchema, isPython, type Runtime } from '../../config/schema.js';
import type { InitAnswers, StageAnswer } from './types.js';

export const CONFIG_PATH = 'spec3.config.json';
/** The branch CI deploys from (also `features.pipeline.branch`'s default). */
const BRANCH = 'main';

/** Each runtime family's overlay and how its tests run (its CI steps are partials in the overlay). */
const FAMILIES = {
  python: { overlay: 'python', testDir: 'tests', testCommand: 'python3 -m unittest discover -s tests -t .' },
  nodejs: { overlay: 'nodejs', testDir: 'test', testCommand: 'node --test' },
} as const;

/** `python3.13` -> the python family, version `3.13`; `nodejs22.x` -> nodejs, `22`. */
function family(runtime: Runtime): (typeof FAMILIES)[keyof typeof FAMILIES] & { readonly version: string } {
  const python = isPython(runtime);
  return { ...FAMILIES[python ? 'python' : 'nodejs'], version: python ? runtime.slice('python'.length) : runtime.replace(/^nodejs|\.x$/g, '') };
}

export function testCommand(answers: Pick<InitAnswers, 'runtime'>): string {
  return family(answers.runtime).testCommand;
}

/**
 * A handler file and its tests are named after the function's module (`log_processor.py`,
 * `test_log_processor.py`, `log_processor_test.mjs`); a function the project does not get
 * (the api without an API) loses them.
 */
function belongsToOmittedFunction(file: PlannedFile, omitted: readonly string[]): boolean {
  const stem = file.path.split('/').at(-1)!.split('.')[0]!;
  return omitted.some((m) => stem === m || stem === `test_${m}` || stem === `${m}_test`);
}

/**
 * Everything `spec3 init` writes, as data: the composed template overlays plus the config.
 * Pure, so it is tested without touching the disk and written (or rolled back) as a whole.
 */
export function planInit(answers: InitAnswers, tree: TemplateTree, spec3Version: string): PlannedFile[] {
  const runtime = family(answers.runtime);
  const first = answers.stages[0]?.name ?? 'dev';
  const kept = functionNames(answers);
  const omitted = ALL_FUNCTIONS.filter((f) => !kept.includes(f)).map(moduleName);

  const vars: TemplateVars = {
    project: answers.project,
    package: packageName(answers.project),
    runtime: answers.runtime,
    spec3Version,
    firstStage: first,
    testCommand: runtime.testCommand,
    testDir: runtime.testDir,
    branch: BRANCH,
    stageList: answers.stages.map((s) => `- \`${s.name}\`: account ${s.account}, region ${s.region}`).join('\n'),
    functionList: kept.map((f) => `- \`${f}\`: \`${handlerFor(answers, f)}\``).join('\n'),
    pipelineNote: renderPartial(tree, 'github', 'readme-section.partial.md', {
      repository: answers.github ?? 'your repository',
      project: answers.project,
      branch: BRANCH,
      stageOrder: answers.stages.map((s) => `\`${s.name}\``).join(', '),
      foundationCommands: answers.stages.map((s) => `   npx spec3 deploy ${s.name} --phase foundation`).join('\n'),
      protectedStages: protectedStages(answers).map((s) => `\`${s}\``).join(', ') || 'none yet',
    }),
    testSteps: renderPartial(tree, runtime.overlay, 'ci-test-steps.partial.yml', { runtimeVersion: runtime.version }),
    deployJobs: deployJobs(answers, tree, runtime),
  };

  // The workflow is written either way: it assumes a role named <project>-<stage>-deploy per
  // stage, whether spec3's pipeline feature (--github) creates those roles or the team brings its own.
  const overlays = ['base', runtime.overlay, 'github', ...(answers.extend ? ['extend'] : [])];
  const files = composeOverlays(tree, overlays, vars).filter((f) => !belongsToOmittedFunction(f, omitted));
  const config: PlannedFile = { path: CONFIG_PATH, content: `${JSON.stringify(buildConfig(answers), null, 2)}\n` };
  return [config, ...files.filter((f) => f.path !== CONFIG_PATH)];
}

/** Names of the stages the new config makes protected (prod, through the presets). */
function protectedStages(answers: InitAnswers): string[] {
  const config = configSchema.parse(buildConfig(answers));
  return answers.stages.filter((s) => resolveStage(config, s.name).protected).map((s) => s.name);
}

/** AWS partition of a region, for ARNs written into the workflow. */
const partitionOf = (region: string): string => (region.startsWith('us-gov-') ? 'aws-us-gov' : region.startsWith('cn-') ? 'aws-cn' : 'aws');

/** The role the pipeline stack creates for a stage (see src/stack/stacks/pipeline-stack.ts). */
export const deployRoleArn = (project: string, stage: StageAnswer): string =>
  `arn:${partitionOf(stage.region)}:iam::${stage.account}:role/${project}-${stage.name}-deploy`;

/**
 * One deploy job per stage, in stage order; each waits for the previous one (and tests). A job of a
 * protected stage runs in the GitHub environment of the stage: GitHub then waits for its reviewers,
 * and the token's subject names the environment, which is what that stage's role trusts; the
 * other roles trust the branch, so their jobs name no environment.
 */
function deployJobs(answers: InitAnswers, tree: TemplateTree, runtime: ReturnType<typeof family>): string {
  const runtimeSetup = renderPartial(tree, runtime.overlay, 'ci-deploy-setup.partial.yml', { runtimeVersion: runtime.version });
  const gated = new Set(protectedStages(answers));
  return answers.stages
    .map((stage, i) =>
      renderPartial(tree, 'github', 'deploy-job.partial.yml', {
        stage: stage.name,
        region: stage.region,
        needs: i === 0 ? 'test' : `deploy-${answers.stages[i - 1]!.name}`,
        branch: BRANCH,
        environment: gated.has(stage.name) ? `\n    environment: ${stage.name}` : '',
        roleArn: deployRoleArn(answers.project, stage),
        runtimeSetup,
      }),
    )
    .join('\n\n');
}
