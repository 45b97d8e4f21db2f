import path from 'node:path';
import type { Command } from 'commander';
import type { RunState } from '../program.js';
import { renderPlan } from '../render/plan.js';
import { runCommand } from '../run-command.js';
import type { Terminal } from '../terminal.js';

interface SynthFlags {
  readonly out?: string;
  readonly config?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
  readonly validate?: boolean;
}

export function registerSynth(program: Command, t: Terminal, state: RunState): void {
  program
    .command('synth')
    .description("Synthesize a stage's cloud assembly: one CloudFormation template per stack, grouped by phase.")
    .argument('<stage>', 'stage to synthesize, e.g. dev')
    .option('-o, --out <dir>', 'assembly directory (default: cdk.out/<stage>)')
    .option('-c, --config <file>', 'config file (default: spec3.config.json here or in the nearest directory above)')
    .option('--validate', "also run aws-cdk-lib's built-in template validation (slower; cfn-lint is stronger)")
    .option('--json', 'print the result as JSON')
    .option('-v, --verbose', 'show debug messages')
    .addHelpText(
      'after',
      `
Examples:
  $ spec3 synth dev
  $ spec3 synth prod --out build/prod --json

Exit codes: 0 written, 1 error (config, sources, bundling or a phase-order violation).`,
    )
    .action(async (stage: string, flags: SynthFlags) => {
      await runCommand(
        t,
        state,
        flags,
        async (ctx) => {
          const { run } = await import('../../commands/synth/index.js');
          return run({ stage, out: flags.out, config: flags.config }, withValidation(ctx, flags.validate));
        },
        (result, host, out) => {
          for (const line of renderPlan(result, host.chalk)) out(line);
          const shown = path.relative(t.cwd, result.outDir) || '.';
          out('');
          out(`Cloud assembly written to ${shown} in ${(result.durationMs / 1000).toFixed(1)} s`);
        },
      );
    });
}

/**
 * aws-cdk-lib reads CDK_VALIDATION from the process environment at synth. spec3 turns its
 * built-in validation off by default (about 4 s per synth; every template is checked by cfn-lint
 * in spec3's own CI) and on with --validate or an explicit CDK_VALIDATION.
 */
export function withValidation<C>(ctx: C, validate: boolean | undefined): C {
  if (validate) process.env.CDK_VALIDATION = 'true';
  else process.env.CDK_VALIDATION ??= 'false';
  return ctx;
}
