import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { execa } from 'execa';
import { expect } from 'vitest';

/**
 * Runs cfn-lint once over `templates` (assertion templates are written to a temporary directory,
 * strings are template paths) and expects zero errors. One run for all: cfn-lint takes seconds to
 * start. Its exit code is a bit mask: 1 failed to run, 2 errors, 4 warnings, 8 informational.
 */
export async function expectNoLintErrors(templates: readonly (Template | string)[]): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spec3-lint-'));
  try {
    const files = templates.map((t, i) => {
      if (typeof t === 'string') return t;
      const file = path.join(dir, `template-${i}.json`);
      writeFileSync(file, JSON.stringify(t.toJSON()));
      return file;
    });
    const lint = await execa('cfn-lint', ['--format', 'parseable', ...files], { reject: false, all: true });
    expect(lint.all.split('\n').filter((line) => /:E\d{4}:/.test(line)), lint.all).toEqual([]);
    expect((lint.exitCode ?? 1) & 3, lint.all).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
