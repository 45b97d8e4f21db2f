#!/usr/bin/env node
// Deploy wall time, spec3 against the CDK CLI, on the same cloud assembly and the same local AWS
// (spec3's patched moto): a first deploy of every stack, then a no-op redeploy. Prints both
// figures and their ratio. Usage: npm run build && node bench/deploy.mjs [runs]
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/spec3.js', import.meta.url));
const cdk = createRequire(import.meta.url).resolve('aws-cdk/bin/cdk');
const runs = Number(process.argv[2] ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const project = path.join(mkdtempSync(path.join(os.tmpdir(), 'spec3-bench-')), 'orders');
const assembly = path.join(path.dirname(project), 'assembly');
const base = { ...process.env, CI: '1', NO_COLOR: '1' };
for (const key of Object.keys(base)) if (key.startsWith('AWS_')) delete base[key];

function exec(cmd, args, env, cwd = project) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { ms, out: r.stdout };
}

// The same patched moto `spec3 local start` runs, attached to this process.
const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = server.address();
    server.close(() => resolve(free));
  });
});
const moto = spawn('python3', [fileURLToPath(new URL('../local/spec3_moto.py', import.meta.url)), '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
const endpoint = `http://localhost:${port}`;
for (let i = 0; i < 100; i += 1) {
  if (await fetch(`${endpoint}/moto-api/`).then((r) => r.ok, () => false)) break;
  await new Promise((r) => setTimeout(r, 100));
}
const env = { ...base, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
const reset = () => fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });

try {
  exec('node', [bin, 'init', project, '--yes', '--no-git'], base, os.tmpdir());
  exec('node', [bin, 'synth', 'dev', '--out', assembly], base);
  // The spec3 local AWS at this endpoint (--local --endpoint): its polling pace, as `spec3 local start` users get.
  const target = ['--local', '--endpoint', endpoint];
  const spec3 = ['deploy', 'dev', '--assembly', assembly, '--yes', ...target];
  const cdkArgs = [cdk, 'deploy', '--all', '--app', assembly, '--require-approval', 'never', '--concurrency', '4', '--no-notices', '--no-version-reporting', '--ci'];
  const figures = { spec3: { first: [], noop: [] }, cdk: { first: [], noop: [] } };
  for (let i = 0; i < runs; i += 1) {
    for (const [tool, run] of [
      ['spec3', () => exec('node', [bin, ...spec3], env)],
      ['cdk', () => exec('node', cdkArgs, env)],
    ]) {
      await reset();
      exec('node', [bin, 'bootstrap', 'dev', ...target], env);
      figures[tool].first.push(run().ms);
      figures[tool].noop.push(run().ms);
    }
  }
  console.log(`8 stacks (spec3 init --yes, stage dev), local AWS ${endpoint}, median of ${runs} (whole process)`);
  for (const phase of ['first', 'noop']) {
    const s = median(figures.spec3[phase]);
    const c = median(figures.cdk[phase]);
    const label = phase === 'first' ? 'first deploy ' : 'no-op redeploy';
    const range = (xs) => `${(Math.min(...xs) / 1000).toFixed(2)}–${(Math.max(...xs) / 1000).toFixed(2)}`;
    console.log(
      `${label}  spec3 ${(s / 1000).toFixed(2).padStart(6)} s   cdk ${(c / 1000).toFixed(2).padStart(6)} s   spec3/cdk ${(s / c).toFixed(2)}` +
        `   (ranges: spec3 ${range(figures.spec3[phase])} s, cdk ${range(figures.cdk[phase])} s)`,
    );
  }
} finally {
  moto.kill();
}
