/**
 * The solution's SQL folder is applied as `psql -f` would: a failing statement is reported and the
 * next one runs, so one mistake costs only the criteria whose objects it leaves missing or wrong.
 * This check lists every failing statement once (file:line, message, SQLSTATE); a run with one
 * does not certify. It carries no criterion, so the criteria keep their partial credit.
 */
import { describe, inject, it } from 'vitest';
import { formatLoadFailures } from '../../helpers/sql/load.js';
import { fail } from '../../helpers/vitest/have-want.js';

describe('Harness · the SQL folder applies', () => {
  it('every statement of the SQL folder applies (as psql -f would)', () => {
    const suite = inject('suite');
    if (suite.sqlLoadFailures.length > 0)
      fail(
        `${suite.sqlLoadFailures.length} statement(s) of ${suite.sqlDir} did not apply${suite.sqlLoadTimedOut ? ' (the load stopped at a statement that ran too long)' : ''}:\n${formatLoadFailures(suite.sqlLoadFailures)}`,
        'fix each statement at its file and line; the checks above say which criteria lost what these define',
      );
  });
});
