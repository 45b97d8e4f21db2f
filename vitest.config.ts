import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // aws-cdk-lib synthesis takes a second or more per app; keep the default generous.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { CDK_VALIDATION: 'false', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'test/aws/**'], globalSetup: ['test/global-setup.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          fileParallelism: false,
          globalSetup: ['test/global-setup.ts'],
        },
      },
      // Files on the run's one local AWS reset it: one file at a time, in a group of their own, so nothing else runs beside them.
      {
        extends: true,
        test: { name: 'aws', include: ['test/aws/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 }, globalSetup: ['test/global-setup.ts'] },
      },
    ],
  },
});
