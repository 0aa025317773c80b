import { defineConfig } from 'vitest/config';
import { CRITERIA } from './contract/rubric.js';

/**
 * Checks of this tool's own command lines: they never touch the SQL under test and spawn about
 * fifty processes (some 25 s of CPU on 2 cores). `npm test` and CI run them; a certification of a
 * student's folder (SQL_DIR set: certify, a class, Gradescope, a student's own runs) leaves them out.
 */
const TOOLING_SPECS = ['spec/harness/command-line.spec.ts'];

export default defineConfig({
  test: {
    include: ['spec/**/*.spec.ts'],
    exclude: ['**/node_modules/**', ...(process.env.SQL_DIR ? TOOLING_SPECS : [])],
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
