import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { formatLoadFailure } from '../sql/load.js';
import { studentError } from '../vitest/student-error.js';
import { annotateQueryErrors } from './annotate-errors.js';
import { createDatabase, databaseUrl, dropDatabase, uniqueDatabaseName } from './databases.js';
import { assertDefined } from './preconditions.js';
import '../vitest/provided.js';

/** A database of the spec file's own, cloned from the template that holds the solution's SQL. */
export interface SpecDatabase {
  readonly url: string;
  readonly name: string;
  readonly serverVersionNum: number;
  /** A shared pool for ordinary statements. */
  readonly pool: pg.Pool;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  /** A dedicated connection (a session of its own), closed by the caller or at the end of the file. */
  connect(): Promise<pg.Client>;
}

/**
 * Registers beforeAll/afterAll hooks that clone the template into a fresh database and drop it
 * afterwards. When the solution's SQL did not apply, every spec fails with the file, line and message;
 * when it lacks an object named in `requires` (see preconditions.ts), every spec says which.
 */
export function useSpecDatabase(options: { poolSize?: number; requires?: string[] } = {}): SpecDatabase {
  const suite = inject('suite');
  const name = uniqueDatabaseName('spec');
  const url = databaseUrl(suite.adminUrl, name);
  const clients = new Set<pg.Client>();
  let pool: pg.Pool | undefined;

  beforeAll(async () => {
    if (suite.sqlLoadFailure) {
      throw studentError(
        `The SQL in ${suite.sqlDir} did not apply, so nothing can be checked:\n${formatLoadFailure(suite.sqlLoadFailure)}`,
      );
    }
    await createDatabase(suite.adminUrl, name, suite.templateDatabase);
    pool = annotateQueryErrors(new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 }));
    pool.on('error', () => undefined); // a backend killed by a spec must not crash the worker
    await assertDefined(pool, options.requires ?? []);
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
      const client = annotateQueryErrors(new pg.Client({ connectionString: url }));
      client.on('error', () => undefined);
      await client.connect();
      clients.add(client);
      client.on('end', () => clients.delete(client));
      return client;
    },
  };
}
