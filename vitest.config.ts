import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'sidecar/**/*.test.ts', 'plv8/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Each file gets its own databases on one shared throwaway cluster; CLI tests start clusters of their own.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Every sidecar a test starts shares the cluster-wide API role's password (see api-role.ts).
    env: { OPTISCHEMA_API_PASSWORD: 'optischema-api-test-password' },
  },
});
