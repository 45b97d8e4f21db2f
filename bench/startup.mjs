#!/usr/bin/env node
// Start-up time of `spec3 --help` (whole process), and proof that it loads no aws-cdk-lib.
// Usage: npm run build && node bench/startup.mjs [runs]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/spec3.js', import.meta.url));
const runs = Number(process.argv[2] ?? 15);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync('node', args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

// aws-cdk-lib is CommonJS: once imported, even from ESM, its files are in require.cache.
const main = new URL('../dist/cli/main.js', import.meta.url).href;
const probe = spawnSync('node', ['--input-type=module', '-e', `
  import { createRequire } from 'node:module';
  import { PassThrough } from 'node:stream';
  const { main } = await import(${JSON.stringify(main)});
  await main(['--help'], { stdout: new PassThrough(), stderr: new PassThrough() });
  const loaded = Object.keys(createRequire(import.meta.url).cache);
  console.log(['aws-cdk-lib', '@aws-sdk', 'constructs'].filter((m) => loaded.some((f) => f.includes('/node_modules/' + m + '/'))).join(',') || 'none');
`], { encoding: 'utf8' });
const heavy = probe.stdout.trim();

const bare = time(['-e', '0']);
const help = time([bin, '--help']);
const version = time([bin, '--version']);
console.log(`runs: ${runs}`);
console.log(`node -e 0         median ${median(bare).toFixed(0)} ms`);
console.log(`spec3 --help      median ${median(help).toFixed(0)} ms (min ${Math.min(...help).toFixed(0)}, max ${Math.max(...help).toFixed(0)})`);
console.log(`spec3 --version   median ${median(version).toFixed(0)} ms`);
console.log(`heavy modules loaded by --help: ${heavy}`);
