import pLimit from 'p-limit';
import type pg from 'pg';
import type { Session } from './sessions.js';

/** What one call of a race ended with: its value, or the SQLSTATE and message it was refused with. */
export type Outcome<T> = { ok: true; value: T; session: number } | { ok: false; code: string; message: string; session: number };

export interface FireOptions {
  /**
   * Wrap each call in BEGIN … COMMIT (ROLLBACK on error), as an application would. The commit is
   * a round trip after the call, which keeps every lock the call took held a little longer: a
   * procedure that reads without locking then loses its race for real.
   */
  transaction?: boolean;
}

/**
 * Fires every call at once, each on a session of its own: at most sessions.length run together
 * (p-limit), and no call starts before all of them are queued (a start gate). Never throws for a
 * refused call; returns the outcomes in the order of `calls`.
 */
export async function fireAtOnce<T>(
  sessions: Session[],
  calls: ((client: pg.Client) => Promise<T>)[],
  options: FireOptions = {},
): Promise<Outcome<T>[]> {
  if (sessions.length === 0) throw new Error('fireAtOnce needs at least one session');
  const limit = pLimit(sessions.length);
  const free = sessions.map((_, i) => i);
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));

  const runOne = async (call: (client: pg.Client) => Promise<T>): Promise<Outcome<T>> => {
    await gate;
    const index = free.pop();
    if (index === undefined) throw new Error('fireAtOnce: more calls running than sessions');
    const client = sessions[index]!.client;
    try {
      if (options.transaction) await client.query('BEGIN');
      const value = await call(client);
      if (options.transaction) await client.query('COMMIT');
      return { ok: true, value, session: index };
    } catch (error) {
      if (options.transaction) await client.query('ROLLBACK').catch(() => undefined);
      const e = error as pg.DatabaseError;
      if (typeof e.code !== 'string') throw error; // not a server refusal: a harness or network fault
      return { ok: false, code: e.code, message: e.message, session: index };
    } finally {
      free.push(index);
    }
  };

  const pending = calls.map((call) => limit(() => runOne(call)));
  open();
  return Promise.all(pending);
}

/** Counts outcomes by "ok" or SQLSTATE, e.g. { ok: 1, SK001: 59 }. */
export function tally<T>(outcomes: Outcome<T>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.ok ? 'ok' : o.code;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
