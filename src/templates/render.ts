import { Spec3Error } from '../errors.js';

/** Values substituted into `.template.` files; every value is plain text. */
export type TemplateVars = Readonly<Record<string, string>>;

/**
 * `{{name}}` (spaces inside the braces allowed). A `{{` preceded by `$` is left alone, so GitHub
 * Actions expressions such as `${{ vars.AWS_DEPLOY_ROLE_ARN }}` pass through templates untouched.
 */
const PLACEHOLDER = /(?<!\$)\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * The one renderer of spec3's templates: replaces every placeholder by its value in a single pass
 * (a value containing `{{x}}` is not expanded again). An unknown placeholder is a bug in the
 * template or the caller, so it throws rather than writing a half-rendered file.
 */
export function renderTemplate(text: string, vars: TemplateVars, source = 'template'): string {
  return text.replace(PLACEHOLDER, (match, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(vars, name)) {
      throw new Spec3Error(
        'TEMPLATE_UNKNOWN_PLACEHOLDER',
        `${source}: unknown placeholder ${match}; known: ${Object.keys(vars).sort().join(', ') || '(none)'}.`,
        'This is a bug in spec3: the template uses a value the command does not provide.',
      );
    }
    return vars[name]!;
  });
}

/** Marks a file whose content is rendered; the infix is dropped from the written name. */
export const TEMPLATE_INFIX = '.template.';
/** Marks a fragment that code renders into another file; never written by itself. */
export const PARTIAL_INFIX = '.partial.';

/**
 * Names that cannot be stored as-is in the npm package: npm drops `.gitignore` files, so templates
 * keep them under a name that survives and the planner restores the dot.
 */
const RENAMES: Readonly<Record<string, string>> = { _gitignore: '.gitignore', _github: '.github' };

/** Directory placeholder replaced by the Python package name (`__init__` etc. are left alone). */
const PACKAGE_DIR = '__package__';

/** Where a template file lands in the new project: renames, `__package__`, `.template.` dropped. */
export function targetPath(templatePath: string, vars: TemplateVars): string {
  return templatePath
    .split('/')
    .map((segment) => {
      let out = RENAMES[segment] ?? segment;
      if (out === PACKAGE_DIR) {
        if (!vars.package) throw new Spec3Error('TEMPLATE_UNKNOWN_PLACEHOLDER', `${templatePath}: ${PACKAGE_DIR} needs a "package" value.`);
        out = vars.package;
      }
      return out.replace(TEMPLATE_INFIX, '.');
    })
    .join('/');
}
