import { RemovalPolicy } from 'aws-cdk-lib';
import type { ResolvedStage } from '../config/resolve.js';

/** Data resources survive `destroy` in protected or retain-data stages, and go with the stage elsewhere. */
export function dataRemovalPolicy(stage: ResolvedStage): RemovalPolicy {
  return stage.retainData || stage.protected ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
}

export function keepsData(stage: ResolvedStage): boolean {
  return stage.retainData || stage.protected;
}
