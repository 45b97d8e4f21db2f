import { defineConfig } from 'tsup';

// Each command is its own entry so `spec3 --help` loads only the CLI shell;
// aws-cdk-lib and the SDK stay external and are imported lazily by the commands that need them.
export default defineConfig({
  entry: {
    'cli/main': 'src/cli/main.ts',
    // `spec3/extend`, what a project's spec3.extend.ts imports (package.json "exports").
    'extend/index': 'src/extend/index.ts',
  },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  splitting: true,
  sourcemap: true,
  clean: true,
  // Declarations for `spec3/extend` only, so editors complete hooks and handles.
  dts: { entry: { 'extend/index': 'src/extend/index.ts' } },
  outDir: 'dist',
  noExternal: [/^@aws-sdk\//, /^@smithy\//, /^@aws-crypto\//, 'zod', 'commander', 'chalk'],
  banner: { js: "import { createRequire as __spec3CreateRequire } from 'node:module'; const require = __spec3CreateRequire(import.meta.url);" },
});
