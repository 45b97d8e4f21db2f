import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isPython, type FunctionConfig, type ServiceConfig } from '../../config/schema.js';
import { Spec3Error } from '../../errors.js';

async function exists(p: string, kind: 'file' | 'dir'): Promise<boolean> {
  try {
    const s = await stat(p);
    return kind === 'file' ? s.isFile() : s.isDirectory();
  } catch {
    return false;
  }
}

/** The file a handler string points at, relative to the function's source directory. */
export function handlerFiles(fn: Pick<FunctionConfig, 'runtime' | 'handler'>): string[] {
  const modulePath = fn.handler.slice(0, fn.handler.lastIndexOf('.'));
  if (isPython(fn.runtime)) return [`${modulePath.replaceAll('.', '/')}.py`];
  return ['.mjs', '.js', '.cjs'].map((ext) => `${modulePath}${ext}`);
}

/** Checks that each function's source directory and handler file exist, naming the field on failure. */
export async function checkSources(functions: readonly FunctionConfig[], projectDir: string, file: string): Promise<void> {
  for (const [i, fn] of functions.entries()) {
    const source = path.resolve(projectDir, fn.source);
    if (!(await exists(source, 'dir'))) {
      throw new Spec3Error(
        'FUNCTION_SOURCE_MISSING',
        `${file}: functions[${i}].source: directory "${fn.source}" of function "${fn.name}" does not exist (looked in ${source}).`,
        'Create the directory or point "source" at the directory that holds the handler code.',
      );
    }
    // Resolved through symlinks: a source that only looks inside the project is refused as well.
    const [root, real] = await Promise.all([realpath(projectDir), realpath(source)]);
    if (real !== root && !real.startsWith(`${root}${path.sep}`)) {
      throw new Spec3Error(
        'FUNCTION_SOURCE_OUTSIDE',
        `${file}: functions[${i}].source: directory "${fn.source}" of function "${fn.name}" is ${real}, outside the project (${root}); spec3 bundles only code of the project.`,
        `Move the code into the project (e.g. \`cp -r ${real} ${path.join(root, 'src')}\`) and set "source" to a directory under ${root}.`,
      );
    }
    const candidates = handlerFiles(fn);
    const found = await Promise.all(candidates.map((c) => exists(path.join(source, c), 'file')));
    if (!found.some(Boolean)) {
      throw new Spec3Error(
        'FUNCTION_HANDLER_MISSING',
        `${file}: functions[${i}].handler: "${fn.handler}" needs ${candidates.map((c) => path.join(fn.source, c)).join(' or ')}, which does not exist.`,
        `Create that file with a "${fn.handler.split('.').pop()}" function, or fix "handler".`,
      );
    }
  }
}

/**
 * The absolute Dockerfile directory of `features.service.source`, checked: it must exist and hold
 * a Dockerfile. Undefined when the stage has no service or the service names an `image` instead.
 */
export async function checkServiceSource(
  service: Pick<ServiceConfig, 'source'> | undefined,
  projectDir: string,
  file: string,
): Promise<string | undefined> {
  if (!service?.source) return undefined;
  const source = path.resolve(projectDir, service.source);
  const hasDir = await exists(source, 'dir');
  if (!hasDir || !(await exists(path.join(source, 'Dockerfile'), 'file'))) {
    throw new Spec3Error(
      'SERVICE_SOURCE_MISSING',
      hasDir
        ? `${file}: features.service.source: directory "${service.source}" has no Dockerfile (looked for ${path.join(source, 'Dockerfile')}).`
        : `${file}: features.service.source: directory "${service.source}" does not exist (looked in ${source}).`,
      'Point "source" at the directory that holds the Dockerfile of the service, or set "image" to an image URI instead.',
    );
  }
  return source;
}
