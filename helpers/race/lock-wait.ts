import type { Queryable } from '../db/queryable.js';

/** What the server says a backend is doing right now (pg_stat_activity + pg_locks). */
export interface BackendWait {
  pid: number;
  /** pg_stat_activity.wait_event_type, e.g. 'Lock'; null when running. */
  waitEventType: string | null;
  /** e.g. 'transactionid' (waiting for another transaction to end) or 'tuple'. */
  waitEvent: string | null;
  /** pg_blocking_pids(): the backends holding what it waits for. */
  blockedBy: number[];
  /** locktype of its ungranted pg_locks entry, e.g. 'transactionid', 'tuple', 'relation'. */
  lockType: string | null;
}

export async function backendWait(observer: Queryable, pid: number): Promise<BackendWait | null> {
  const { rows } = await observer.query<{
    wait_event_type: string | null;
    wait_event: string | null;
    blocked_by: number[];
    lock_type: string | null;
  }>(
    `SELECT a.wait_event_type, a.wait_event, pg_blocking_pids(a.pid) AS blocked_by,
            (SELECT l.locktype FROM pg_locks AS l WHERE l.pid = a.pid AND NOT l.granted LIMIT 1) AS lock_type
       FROM pg_stat_activity AS a
      WHERE a.pid = $1`,
    [pid],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    pid,
    waitEventType: row.wait_event_type,
    waitEvent: row.wait_event,
    blockedBy: row.blocked_by,
    lockType: row.lock_type,
  };
}

/** Waiting on a heavyweight lock that another backend holds (isolationtester's notion of "blocked"). */
export function isLockWait(wait: BackendWait | null): wait is BackendWait {
  return wait !== null && wait.waitEventType === 'Lock' && wait.blockedBy.length > 0;
}

/**
 * Watches a running statement until it either finishes or is seen waiting on a lock. Polls the
 * server (no fixed sleeps standing in for "it must be blocked by now"); gives up after timeoutMs.
 */
export async function settleOrBlock(
  observer: Queryable,
  pid: number,
  done: () => boolean,
  timeoutMs = 15_000,
): Promise<'done' | BackendWait> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (done()) return 'done';
    const wait = await backendWait(observer, pid);
    if (done()) return 'done';
    if (isLockWait(wait)) return wait;
    if (Date.now() > deadline) throw new Error(`backend ${pid} neither finished nor waited on a lock within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
