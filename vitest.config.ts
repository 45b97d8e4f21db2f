import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // aws-cdk-lib synthesis takes a second or more per app; keep the default generous.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { CDK_VALIDATION: 'false' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'] },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 300_000, fileParallelism: false },
      },
    ],
  },
});
