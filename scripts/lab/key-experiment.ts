/**
 * Lab step 4: the same N inserts keyed by UUID v7, random UUID v4 and bigint identity. Per key:
 * insert time, primary-key index size, leaf density and fragmentation (pgstatindex), and WAL
 * bytes written (pg_current_wal_lsn before and after, each run right after a CHECKPOINT so
 * every run pays the same full-page-image cost structure).
 */
import type pg from 'pg';

export interface KeyResult {
  key: string;
  rows: number;
  insertMs: number;
  indexBytes: number;
  tableBytes: number;
  walBytes: number;
  leafPages: number | null;
  avgLeafDensity: number | null;
  leafFragmentation: number | null;
}

const KEYS: { key: string; column: string }[] = [
  { key: 'uuid v7 (uuidv7())', column: 'id uuid PRIMARY KEY DEFAULT uuidv7()' },
  { key: 'uuid v4 (gen_random_uuid())', column: 'id uuid PRIMARY KEY DEFAULT gen_random_uuid()' },
  { key: 'bigint identity', column: 'id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY' },
];

export async function runKeyExperiment(db: pg.ClientBase, rows: number): Promise<{ results: KeyResult[]; pgstattuple: boolean }> {
  const pgstattuple = await db.query('CREATE EXTENSION IF NOT EXISTS pgstattuple').then(
    () => true,
    () => false,
  );
  const results: KeyResult[] = [];
  for (const [i, k] of KEYS.entries()) {
    const table = `lab_keys_${i}`;
    await db.query(`DROP TABLE IF EXISTS ${table}`);
    await db.query(`CREATE TABLE ${table} (${k.column}, n integer NOT NULL)`);
    await db.query('CHECKPOINT');
    const lsn0 = (await db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
    const t0 = performance.now();
    await db.query(`INSERT INTO ${table} (n) SELECT g FROM generate_series(1, $1) AS g`, [rows]);
    const insertMs = performance.now() - t0;
    const facts = (
      await db.query<{ wal: string; index_bytes: string; table_bytes: string }>(
        `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint::text AS wal,
                pg_relation_size('${table}_pkey')::text AS index_bytes, pg_relation_size('${table}')::text AS table_bytes`,
        [lsn0],
      )
    ).rows[0]!;
    let stats: { leaf_pages: number; avg_leaf_density: number; leaf_fragmentation: number } | undefined;
    if (pgstattuple) {
      stats = (
        await db.query<{ leaf_pages: number; avg_leaf_density: number; leaf_fragmentation: number }>(
          `SELECT leaf_pages::int, avg_leaf_density::float8, leaf_fragmentation::float8 FROM pgstatindex('${table}_pkey')`,
        )
      ).rows[0];
    }
    results.push({
      key: k.key,
      rows,
      insertMs,
      indexBytes: Number(facts.index_bytes),
      tableBytes: Number(facts.table_bytes),
      walBytes: Number(facts.wal),
      leafPages: stats?.leaf_pages ?? null,
      avgLeafDensity: stats?.avg_leaf_density ?? null,
      leafFragmentation: stats?.leaf_fragmentation ?? null,
    });
    await db.query(`DROP TABLE ${table}`);
  }
  return { results, pgstattuple };
}
