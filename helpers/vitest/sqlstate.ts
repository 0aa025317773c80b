import type pg from 'pg';
import { fail, failHaveWant } from './have-want.js';

/** Runs a statement that must be refused with one of the given SQLSTATEs (pgTAP's throws_ok). */
export async function expectSqlState(
  check: string,
  run: () => Promise<unknown>,
  want: string | string[],
  fix: string,
): Promise<void> {
  await refusal(check, run, want, fix);
}

/** Like expectSqlState, returning the refusal so its message can be checked too. */
export async function refusal(
  check: string,
  run: () => Promise<unknown>,
  want: string | string[],
  fix: string,
): Promise<pg.DatabaseError> {
  const codes = Array.isArray(want) ? want : [want];
  try {
    await run();
  } catch (error) {
    const e = error as pg.DatabaseError;
    if (codes.includes(e.code ?? '')) return e;
    failHaveWant(check, `SQLSTATE ${e.code ?? '?'}: ${e.message}`, `SQLSTATE ${codes.join(' or ')}`, fix);
  }
  return fail(`${check}\n    have: the statement succeeded\n    want: SQLSTATE ${codes.join(' or ')}`, fix);
}
