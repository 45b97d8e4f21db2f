import { Spec3Error } from '../errors.js';
import { PARTIAL_INFIX, renderTemplate, targetPath, TEMPLATE_INFIX, type TemplateVars } from './render.js';

/** One file of an overlay, as stored under `templates/<overlay>/` (path relative, with `/`). */
export interface TemplateFile {
  readonly path: string;
  readonly content: string;
}

/** Every overlay's files, keyed by overlay name (`base`, `python`, ...). Read once, then pure. */
export type TemplateTree = Readonly<Record<string, readonly TemplateFile[]>>;

/** A file to write: path relative to the project root (with `/`), final content. */
export interface PlannedFile {
  readonly path: string;
  readonly content: string;
}

function overlay(tree: TemplateTree, name: string): readonly TemplateFile[] {
  const files = tree[name];
  if (!files) throw new Spec3Error('TEMPLATE_MISSING', `No template overlay "${name}" in spec3's templates/ folder.`, 'Reinstall spec3.');
  return files;
}

/**
 * Composes overlays in order into the files of a project: a later overlay's file replaces an
 * earlier one at the same target path (so a runtime can override a base file without a flag in
 * every template). Partials are skipped; `.template.` files are rendered, the rest copied as-is.
 * Pure: the same tree and vars always give the same list, sorted by path.
 */
export function composeOverlays(tree: TemplateTree, names: readonly string[], vars: TemplateVars): PlannedFile[] {
  const out = new Map<string, PlannedFile>();
  for (const name of names) {
    for (const file of overlay(tree, name)) {
      if (file.path.includes(PARTIAL_INFIX)) continue;
      const path = targetPath(file.path, vars);
      const content = file.path.includes(TEMPLATE_INFIX)
        ? renderTemplate(file.content, vars, `templates/${name}/${file.path}`)
        : file.content;
      out.set(path, { path, content });
    }
  }
  return [...out.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Renders a partial (a fragment code places or repeats, e.g. one CI job per stage) with its own
 * vars. The file's final newline is dropped: the placeholder the result replaces ends the line.
 */
export function renderPartial(tree: TemplateTree, name: string, path: string, vars: TemplateVars): string {
  const file = overlay(tree, name).find((f) => f.path === path);
  if (!file) throw new Spec3Error('TEMPLATE_MISSING', `No partial templates/${name}/${path}.`, 'Reinstall spec3.');
  return renderTemplate(file.content.replace(/\n$/, ''), vars, `templates/${name}/${path}`);
}
