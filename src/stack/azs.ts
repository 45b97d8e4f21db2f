import type { ResolvedStage } from '../config/resolve.js';

/**
 * The stage's availability zones: the configured list, or the region's first zones by the usual
 * `<region>a|b|c` naming. Given to CDK as context, so the VPC never needs an account lookup.
 */
export function availabilityZones(stage: Pick<ResolvedStage, 'region' | 'azs' | 'availabilityZones'>): string[] {
  if (stage.availabilityZones && stage.availabilityZones.length > 0) return [...stage.availabilityZones];
  return ['a', 'b', 'c'].slice(0, Math.max(stage.azs, 1)).map((letter) => `${stage.region}${letter}`);
}
