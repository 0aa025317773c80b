import type pg from 'pg';

/** Anything that runs a parameterized statement: a pg Client or Pool, or a spec's database. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}
