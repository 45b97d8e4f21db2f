import type { z } from 'zod';
import { configSchema, featuresSchema, RUNTIMES, stageSettingsSchema } from '../../config/schema.js';

/**
 * Validators for init's answers, built from the config schema itself so a question accepts exactly
 * what `spec3.config.json` accepts, with the same messages.
 */
const check =
  (schema: z.ZodType) =>
  (value: string): string | undefined => {
    const parsed = schema.safeParse(value);
    return parsed.success ? undefined : (parsed.error.issues[0]?.message ?? 'invalid value');
  };

export const validateProject = check(configSchema.shape.project);
export const validateAccount = check(stageSettingsSchema.shape.account);
export const validateRegion = check(stageSettingsSchema.shape.region);
const githubRepo = check(featuresSchema.unwrap().shape.pipeline.unwrap().shape.github);
/** Empty means "no pipeline". */
export const validateGithub = (value: string): string | undefined => (value === '' ? undefined : githubRepo(value));
export const validateRuntime = (value: string): string | undefined =>
  (RUNTIMES as readonly string[]).includes(value) ? undefined : `expected one of ${RUNTIMES.join(', ')}`;

/** A project name made from a directory name: lowercase, hyphens, starting with a letter, <= 20. */
export function sanitizeProjectName(raw: string): string {
  const name = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 20)
    .replace(/-+$/, '');
  // A single letter or nothing usable (e.g. "/" or "2024") still needs a valid default.
  return validateProject(name) === undefined ? name : 'app';
}
