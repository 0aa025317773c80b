/**
 * Setup file: a failed check's errors are scrubbed before vitest reports them, so a value the
 * solution returned (an assertion's diff, `actual`, `expected`) cannot put control characters
 * (ANSI escapes) on the grader's terminal. Messages built by the harness are sanitized already.
 */
import { beforeEach } from 'vitest';
import { sanitizeText } from '../safety/sanitize.js';

const FIELDS = ['message', 'stack', 'diff', 'actual', 'expected', 'stackStr', 'name'] as const;

beforeEach(({ onTestFailed }) => {
  onTestFailed(({ task }) => {
    for (const error of task.result?.errors ?? []) {
      const record = error as unknown as Record<string, unknown>;
      for (const field of FIELDS)
        if (typeof record[field] === 'string') record[field] = sanitizeText(record[field] as string, 20_000);
    }
  });
});
