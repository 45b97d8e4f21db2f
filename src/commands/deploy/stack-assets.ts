import type { AwsClients } from '../../aws/clients.js';
import type { PublishReport } from '../../aws/assets.js';
import type { Context } from '../../context.js';
import type { PreparedStack } from './prepare.js';

/** Asset publishing that runs beside the deploy: each stack waits only for its own assets. */
export interface AssetPipeline {
  /** Resolves when the stack's assets are in place; rejects with the publishing error. */
  ready(stack: string): Promise<void>;
  /** Totals over every stack, once all publishing has settled. */
  totals(): Promise<PublishReport>;
}

/**
 * Starts publishing the assets of every stack to deploy at once, so Lambda code uploads while the
 * foundation stacks deploy instead of before them. Templates sent inline are not uploaded.
 */
export function startAssetPublishing(aws: AwsClients, stacks: readonly PreparedStack[], ctx: Pick<Context, 'io'>): AssetPipeline {
  const lib = import('../../aws/assets.js');
  const settled = new Map<string, Promise<{ report?: PublishReport; error?: unknown }>>(
    stacks.map((p) => [
      p.stack.name,
      lib
        .then(({ publishAssets }) =>
          publishAssets(
            aws,
            p.stack.assetManifests.map((manifestFile) => ({ manifestFile, skipFiles: p.inline ? [p.stack.templateFile] : [] })),
            (message) => ctx.io.emit({ code: 'ASSET_PROGRESS', level: 'debug', message, data: { stack: p.stack.name } }),
          ),
        )
        // Kept as a value: a stack that is never reached must not turn a failure into an unhandled rejection.
        .then((report) => ({ report }), (error: unknown) => ({ error })),
    ]),
  );
  return {
    async ready(stack) {
      const outcome = await settled.get(stack);
      if (outcome?.error) throw outcome.error;
    },
    async totals() {
      const all = await Promise.all(settled.values());
      return all.reduce((sum, o) => ({ published: sum.published + (o.report?.published ?? 0), found: sum.found + (o.report?.found ?? 0) }), {
        published: 0,
        found: 0,
      });
    },
  };
}
