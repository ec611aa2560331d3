import { defineConfig } from 'vitest/config';

/**
 * With MCP_TARGET set, `npm test` runs the conformance checks against that server, one vitest
 * test per check (test/target/). Without it, `npm test` runs the project's own tests.
 */
const targetMode = Boolean(process.env.MCP_TARGET);

export default defineConfig({
  test: {
    include: targetMode ? ['test/target/**/*.test.ts'] : ['test/**/*.test.ts'],
    exclude: targetMode ? [] : ['test/target/**', 'node_modules/**', 'dist/**'],
    // bundles the stdio reference servers when dist/ changed (test/support/global-setup.ts)
    globalSetup: targetMode ? [] : ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    teardownTimeout: 30_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
