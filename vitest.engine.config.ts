import { defineConfig } from 'vitest/config';

/**
 * npm run test:engine — checks of the reference engine beyond the contract: the limited-edition
 * mode and the fault specs (a server killed under load). A student solution need not have these
 * objects, so they are not certification criteria and stay out of `npm test`.
 */
export default defineConfig({
  test: {
    include: ['engine/**/*.spec.ts'],
    globalSetup: ['./helpers/vitest/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
