import type { Context } from '../../context.js';
import { AbortError, Spec3Error } from '../../errors.js';
import type { DestroyPlan } from './index.js';
import { spec3Command, type RunTarget } from '../rerun.js';

/**
 * The typed confirmation: the stage name, asked after the plan is shown. `--force` skips it for an
 * unprotected stage only. The question has no unattended answer, so without a terminal the host
 * refuses; that refusal is reworded here to say what destroy needs instead.
 */
export async function confirmDestroy(plan: DestroyPlan, force: boolean, ctx: Pick<Context, 'io'>, rerun: RunTarget): Promise<void> {
  const stage = plan.stage;
  if (force && !plan.protected) {
    ctx.io.emit({ code: 'DESTROY_FORCED', level: 'warn', message: `--force: destroying stage ${stage} without confirmation` });
    return;
  }
  if (force) {
    ctx.io.emit({
      code: 'DESTROY_FORCE_IGNORED',
      level: 'warn',
      message: `Stage ${stage} is protected: --force does not skip the confirmation.`,
    });
  }
  const stacks = plan.phases.reduce((n, p) => n + p.stacks.length, 0);
  let answer: string;
  try {
    answer = await ctx.io.ask({
      code: 'DESTROY_CONFIRM',
      kind: 'text',
      message: `Type the stage name (${stage}) to delete ${stacks} stack(s) in account ${plan.account}, ${plan.region}:`,
      default: '',
      validate: (value) => (value.trim() === stage ? undefined : `Type "${stage}" to confirm, or press Ctrl-C to cancel.`),
    });
  } catch (error) {
    if (error instanceof Spec3Error && error.code === 'NEEDS_ANSWER') {
      throw new Spec3Error(
        'NEEDS_ANSWER',
        `Destroying stage ${stage} needs its name typed as confirmation, and there is no interactive terminal to ask in. Nothing was changed.`,
        plan.protected
          ? `Stage ${stage} is protected: run \`${spec3Command(rerun, 'destroy', stage, '--allow-protected')}\` in an interactive terminal.`
          : `Run it in an interactive terminal, or pass --force to destroy without the confirmation (unprotected stages only).`,
        { cause: error },
      );
    }
    throw error;
  }
  if (answer.trim() !== stage) throw new AbortError(`Destroy cancelled: "${answer}" is not "${stage}". Nothing was changed.`);
}
