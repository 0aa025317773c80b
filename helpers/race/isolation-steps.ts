import type pg from 'pg';
import { type BackendWait, settleOrBlock } from './lock-wait.js';
import type { Session, SessionSource } from './sessions.js';
import { openSessions } from './sessions.js';

/**
 * A small isolation-test runner in the manner of PostgreSQL's isolationtester: named sessions,
 * a permutation of steps, and a transcript. A step that blocks on a lock is reported as
 * "waiting for <session>" and the permutation moves on; it is reported again when it completes.
 */
export interface Step {
  session: string;
  /** How the step reads in the transcript, e.g. "buy P×1". */
  label: string;
  sql: string;
  params?: unknown[];
}

export interface ObservedWait {
  step: string;
  waitingFor: string[];
  waitEventType: string | null;
  waitEvent: string | null;
  lockType: string | null;
}

export interface Permutation {
  /** Readable lines: "A: buy P×1 → ok", "B: buy P×1 → waiting for A", "B: buy P×1 → error SK001". */
  transcript: string[];
  /** Each lock wait seen, with the server's own words for it. */
  waits: ObservedWait[];
  /** Error messages by "<session>: <label>", for checks on wording. */
  errors: Record<string, { code: string; message: string }>;
  /** Rows returned by successful steps by "<session>: <label>". */
  rows: Record<string, pg.QueryResultRow[]>;
}

interface Running {
  step: Step;
  settled: boolean;
  result?: { ok: true; rows: pg.QueryResultRow[] } | { ok: false; code: string; message: string };
  promise: Promise<void>;
}

export async function runPermutation(
  source: SessionSource,
  observer: Pick<pg.Pool, 'query'>,
  sessionNames: string[],
  steps: Step[],
): Promise<Permutation> {
  const opened = await openSessions(source, sessionNames.length);
  const sessions = new Map<string, Session>(sessionNames.map((name, i) => [name, opened[i]!]));
  const nameOfPid = new Map<number, string>(sessionNames.map((name, i) => [opened[i]!.pid, name]));
  const running = new Map<string, Running>();
  const result: Permutation = { transcript: [], waits: [], errors: {}, rows: {} };
  const key = (step: Step) => `${step.session}: ${step.label}`;

  const report = (run: Running) => {
    const r = run.result!;
    if (r.ok) {
      result.transcript.push(`${key(run.step)} → ok`);
      result.rows[key(run.step)] = r.rows;
    } else {
      result.transcript.push(`${key(run.step)} → error ${r.code}`);
      result.errors[key(run.step)] = { code: r.code, message: r.message };
    }
  };

  const noteWait = (run: Running, wait: BackendWait) => {
    const waitingFor = wait.blockedBy.map((pid) => nameOfPid.get(pid) ?? `pid ${pid}`);
    result.transcript.push(`${key(run.step)} → waiting for ${waitingFor.join(', ')}`);
    result.waits.push({
      step: key(run.step),
      waitingFor,
      waitEventType: wait.waitEventType,
      waitEvent: wait.waitEvent,
      lockType: wait.lockType,
    });
  };

  /** Waits until the step finished (reported) or is seen blocked on a lock (reported once). */
  const follow = async (run: Running, reportWait: boolean): Promise<void> => {
    const session = sessions.get(run.step.session)!;
    const state = await settleOrBlock(observer, session.pid, () => run.settled);
    if (state === 'done') {
      await run.promise;
      running.delete(run.step.session);
      report(run);
    } else if (reportWait) {
      noteWait(run, state);
    }
  };

  try {
    for (const step of steps) {
      const session = sessions.get(step.session);
      if (!session) throw new Error(`step "${step.label}" names an unknown session ${step.session}`);
      if (running.has(step.session))
        throw new Error(`step "${step.label}": session ${step.session} is still waiting in its previous step`);
      const run: Running = { step, settled: false, promise: Promise.resolve() };
      run.promise = session.client.query(step.sql, step.params).then(
        (res) => {
          run.result = { ok: true, rows: res.rows };
          run.settled = true;
        },
        (error: pg.DatabaseError) => {
          run.result = { ok: false, code: error.code ?? '?', message: error.message };
          run.settled = true;
        },
      );
      running.set(step.session, run);
      await follow(run, true);
      // What this step released may let earlier waiting steps finish.
      for (const other of [...running.values()]) if (other !== run) await follow(other, false);
    }
    // Anything still waiting when the permutation ends would wait forever: report and cancel it.
    for (const run of running.values()) {
      result.transcript.push(`${key(run.step)} → still waiting at the end`);
      await observer.query('SELECT pg_cancel_backend($1)', [sessions.get(run.step.session)!.pid]);
      await run.promise;
    }
  } finally {
    await Promise.all(opened.map((s) => s.client.end().catch(() => undefined)));
  }
  return result;
}
