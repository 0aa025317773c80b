import { defineConfig } from 'vitest/config';
import { CRITERIA } from './contract/rubric.js';

export default defineConfig({
  test: {
    include: ['spec/**/*.spec.ts'],
    globalSetup: ['./helpers/vitest/global-setup.ts'],
    setupFiles: ['./helpers/vitest/sanitize-errors.ts', './helpers/vitest/sanitize-console.ts'],
    // Specs share one server; each file works in a database of its own.
    pool: 'forks',
    maxWorkers: 2,
    // Watch mode: a saved .sql file reruns everything; the global setup re-applies the SQL first.
    forceRerunTriggers: ['**/package.json/**', '**/vitest.config.*/**', '**/*.sql'],
    // The suite skips nothing itself: a skipped check is filtered out or behind a failed setup, whose error is printed.
    hideSkippedTests: true,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Every criterion is a tag; a spec naming an undefined tag is an error (strictTags).
    tags: CRITERIA.map((c) => ({ name: c.tag, description: `${c.title}: ${c.description}` })),
    reporters: ['default', './helpers/certificate/reporter.ts'],
  },
});
