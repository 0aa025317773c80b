import pg from 'pg';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import {
  checkerSessionOptions,
  describeSettings,
  readSessionSettings,
  type SessionSettings,
  settingsDrift,
  storedSettings,
} from '../safety/session-settings.js';
import { studentError } from '../vitest/student-error.js';
import { annotateQueryErrors } from './annotate-errors.js';
import { createDatabase, dropDatabase, uniqueDatabaseName } from './databases.js';
import { assertDefined } from './preconditions.js';
import { roleUrl, withAdminClient } from './run-roles.js';
import '../vitest/provided.js';

/** A database of the spec file's own, cloned from the template that holds the solution's SQL. */
export interface SpecDatabase {
  /** Connection string of the checker role (no superuser) in this database. */
  readonly url: string;
  readonly name: string;
  readonly serverVersionNum: number;
  /** A shared pool for ordinary statements. */
  readonly pool: pg.Pool;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  /** A dedicated connection (a session of its own), closed by the caller or at the end of the file. */
  connect(): Promise<pg.Client>;
  /**
   * A privileged step of the harness (an untrusted extension such as pgstattuple) on a superuser
   * session in this database. Never pass it anything that runs solution code: no solution
   * function, view, trigger or table with policies.
   */
  asAdmin<T>(run: (admin: pg.Client) => Promise<T>): Promise<T>;
}

/**
 * Registers beforeAll/afterAll hooks that clone the template into a fresh database (owned by the
 * solution's role, used by the checker role) and drop it afterwards. When the solution lacks an
 * object named in `requires` (see preconditions.ts), every spec says which, and why if a statement
 * of the solution failed. After each check, no role or database default may have been stored,
 * and no open checker session may have had its pinned settings changed (a solution's routine
 * could try either, to steer the next checks): the check fails if one was.
 */
export function useSpecDatabase(options: { poolSize?: number; requires?: string[] } = {}): SpecDatabase {
  const suite = inject('suite');
  const name = uniqueDatabaseName();
  const url = roleUrl(suite.adminUrl, suite.roles.checker, name);
  const sessionOptions = checkerSessionOptions(suite.bounds);
  const runRoles = [suite.roles.checker.name, suite.roles.submission.name];
  const clients = new Set<pg.Client>();
  const pooled = new Set<pg.Client>();
  let pool: pg.Pool | undefined;
  let fresh: SessionSettings | undefined;

  beforeAll(async () => {
    await createDatabase(suite.adminUrl, name, suite.templateDatabase, suite.roles.submission.name);
    pool = annotateQueryErrors(new pg.Pool({ connectionString: url, options: sessionOptions, max: options.poolSize ?? 10 }));
    pool.on('error', () => undefined); // a backend killed by a spec must not crash the worker
    pool.on('connect', (client) => pooled.add(client));
    pool.on('remove', (client) => pooled.delete(client));
    fresh = await readSessionSettings(pool); // before any solution code ran in a checker session
    try {
      await assertDefined(pool, options.requires ?? []);
    } catch (error) {
      if (suite.sqlLoadFailures.length === 0) throw error;
      const first = suite.sqlLoadFailures[0]!;
      // The failures themselves are listed once, by the harness check "every statement of the SQL folder applies".
      throw studentError(
        `${(error as Error).message}\n${suite.sqlLoadFailures.length} statement(s) of the SQL did not apply, so nothing can be checked that needs what they define (first: ${first.file}${first.line ? `:${first.line}` : ''}: ${first.message}); the harness check "every statement of the SQL folder applies" lists them`,
      );
    }
  });

  afterEach(async () => {
    if (!pool) return;
    const stored = await storedSettings(pool, runRoles, [name]);
    if (stored.length > 0)
      throw studentError(
        `the solution stored session defaults while this check ran (${describeSettings(stored)}): the checks cannot be trusted\n  fix: do not ALTER ROLE/DATABASE … SET from the solution's routines`,
      );
    const drift = fresh ? await changedSessions([...pooled, ...clients], fresh) : [];
    if (drift.length > 0)
      throw studentError(
        `the solution changed settings of a checker session while this check ran (${drift.join('; ')}): the checks cannot be trusted\n  fix: in routines, triggers and defaults, change settings only for the transaction (SET LOCAL, set_config(…, true)) or the routine (a SET clause), never for the caller's session`,
      );
  });

  afterAll(async () => {
    await Promise.all([...clients].map((c) => c.end().catch(() => undefined)));
    await pool?.end();
    await dropDatabase(suite.adminUrl, name);
  });

  const requirePool = () => {
    if (!pool) throw new Error('the spec database is used before beforeAll ran');
    return pool;
  };
  return {
    url,
    name,
    serverVersionNum: suite.serverVersionNum,
    get pool() {
      return requirePool();
    },
    query: (sql, params) => requirePool().query(sql, params),
    async connect() {
      const client = annotateQueryErrors(new pg.Client({ connectionString: url, options: sessionOptions }));
      client.on('error', () => undefined);
      await client.connect();
      clients.add(client);
      client.on('end', () => clients.delete(client));
      return client;
    },
    asAdmin: (run) => withAdminClient(suite.adminUrl, run, name),
  };
}

/** Pinned settings that differ from a fresh session's, per open session (a busy or closed one is skipped). */
async function changedSessions(sessions: pg.Client[], fresh: SessionSettings): Promise<string[]> {
  const found = await Promise.all(
    sessions.map(async (session) => {
      const read = readSessionSettings(session).catch(() => undefined);
      const now = await Promise.race([read, new Promise<undefined>((r) => setTimeout(() => r(undefined), 5_000).unref())]);
      return now ? settingsDrift(fresh, now) : [];
    }),
  );
  return [...new Set(found.flat())];
}
