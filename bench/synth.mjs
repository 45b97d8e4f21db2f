#!/usr/bin/env node
// `spec3 synth <stage>` wall time per stage on a project written by `spec3 init --yes`,
// with aws-cdk-lib's built-in validation off (spec3's default) and on (--validate).
// Usage: npm run build && node bench/synth.mjs [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/spec3.js', import.meta.url));
const runs = Number(process.argv[2] ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const project = path.join(mkdtempSync(path.join(os.tmpdir(), 'spec3-bench-')), 'orders');
const env = { ...process.env, CI: '1', NO_COLOR: '1' };
delete env.CDK_VALIDATION;

const run = (args) => {
  const start = process.hrtime.bigint();
  const r = spawnSync('node', [bin, ...args], { cwd: project, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`spec3 ${args.join(' ')} failed:\n${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
};

spawnSync('node', [bin, 'init', project, '--yes', '--no-git'], { env, stdio: 'ignore' });
run(['synth', 'dev']); // first run bundles the code; later runs reuse the bundle like a user's second synth
console.log(`runs per figure: ${runs} (median, whole process)`);
for (const stage of ['dev', 'staging', 'prod']) {
  const fast = median(Array.from({ length: runs }, () => run(['synth', stage])));
  const validated = median(Array.from({ length: runs }, () => run(['synth', stage, '--validate'])));
  console.log(`synth ${stage.padEnd(8)} ${fast.toFixed(0).padStart(5)} ms   with --validate ${validated.toFixed(0).padStart(5)} ms`);
}
const list = median(Array.from({ length: runs }, () => run(['list', 'dev'])));
console.log(`list  dev      ${list.toFixed(0).padStart(5)} ms`);
