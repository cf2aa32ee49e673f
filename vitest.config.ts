import { defineConfig } from 'vitest/config';

// Two layers: `unit` (pure logic, services on real SQLite files and the real OBS, Electron main
// with the shared electron mock) and `e2e` (Playwright driving Debian's Chromium against the
// built studio host). e2e files run one at a time: the machine has 2 cores.
export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify('0.0.0-test'), __HARVEST_TEST_PROBE__: 'true' },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'shared/**/*.test.ts',
            'electron/**/*.test.ts',
            'renderer/**/*.test.ts',
            'test/unit/**/*.test.ts',
            'test/fuzz/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 90_000,
          globalSetup: ['test/support/global-setup.ts'],
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
