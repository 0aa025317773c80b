/**
 * Task 5, steps 2-4: the complex join (sql/queries/lab/complex_join.sql) without any index on the
 * join columns, then with one B-tree index per join column. Shared by the lab and its spec.
 */
import path from 'node:path';
import type { Queryable } from '../db/queryable.js';
import { type ExplainResult, type RelationAccess, relationAccesses } from '../plan/explain.js';
import { loadQueryFile } from '../sql/query-file.js';

export const COMPLEX_JOIN_FILE = path.join('queries', 'lab', 'complex_join.sql');

/** Every column the contract's foreign keys join on. */
export const JOIN_COLUMNS: readonly (readonly [table: string, column: string])[] = [
  ['users', 'user_id'],
  ['orders', 'user_id'],
  ['orders', 'order_id'],
  ['order_items', 'order_id'],
  ['order_items', 'product_id'],
  ['products', 'product_id'],
];

const JOIN_TABLES = [...new Set(JOIN_COLUMNS.map(([t]) => t))];
const LAB_INDEX_PREFIX = 'lab_join_';

export interface DroppedIndexes {
  /** What was dropped, for the report. */
  dropped: string[];
  /** Statements that put the schema back as it was, in order. */
  restore: string[];
}

/**
 * Drops every index with a join column among its key columns (primary keys and unique
 * constraints included), and the foreign keys that depend on them.
 */
export async function dropJoinIndexes(db: Queryable): Promise<DroppedIndexes> {
  const { rows } = await db.query<{ kind: string; name: string; drop_sql: string; create_sql: string }>(
    `WITH join_columns AS (
       SELECT a.attrelid, a.attnum
         FROM unnest($1::text[], $2::text[]) AS j(tbl, col)
         JOIN pg_attribute AS a ON a.attrelid = to_regclass('public.' || j.tbl) AND a.attname = j.col
     ),
     join_indexes AS (
       SELECT i.indexrelid, i.indrelid
         FROM pg_index AS i
        WHERE EXISTS (SELECT FROM join_columns AS j
                       WHERE j.attrelid = i.indrelid AND j.attnum = ANY ((i.indkey::int2[])[0:i.indnkeyatts - 1]))
     )
     SELECT 'foreign key' AS kind, c.conname AS name,
            format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop_sql,
            format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS create_sql
       FROM pg_constraint AS c
      WHERE c.contype = 'f' AND (c.conindid IN (SELECT indexrelid FROM join_indexes)
                                 OR c.conrelid IN (SELECT indrelid FROM join_indexes))
     UNION ALL
     SELECT 'constraint', c.conname,
            format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
            format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
       FROM pg_constraint AS c
      WHERE c.contype IN ('p', 'u', 'x') AND c.conindid IN (SELECT indexrelid FROM join_indexes) AND c.conrelid = (SELECT indrelid FROM join_indexes WHERE indexrelid = c.conindid)
     UNION ALL
     SELECT 'index', ji.indexrelid::regclass::text,
            format('DROP INDEX %s', ji.indexrelid::regclass),
            pg_get_indexdef(ji.indexrelid)
       FROM join_indexes AS ji
      WHERE NOT EXISTS (SELECT FROM pg_constraint AS c WHERE c.conindid = ji.indexrelid AND c.contype IN ('p', 'u', 'x'))`,
    [JOIN_COLUMNS.map(([t]) => t), JOIN_COLUMNS.map(([, c]) => c)],
  );
  const order = ['foreign key', 'constraint', 'index'];
  const sorted = [...rows].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.name.localeCompare(b.name));
  for (const r of sorted) await db.query(r.drop_sql);
  await db.query(`ANALYZE ${JOIN_TABLES.join(', ')}`);
  return {
    dropped: sorted.map((r) => `${r.kind} ${r.name}`),
    restore: [...sorted].reverse().map((r) => r.create_sql),
  };
}

/** One plain B-tree index per join column, then ANALYZE. */
export async function createJoinIndexes(db: Queryable): Promise<string[]> {
  const created: string[] = [];
  for (const [table, column] of JOIN_COLUMNS) {
    const name = `${LAB_INDEX_PREFIX}${table}_${column}`;
    await db.query(`CREATE INDEX ${name} ON ${table} USING btree (${column})`);
    created.push(`${name} ON ${table} (${column})`);
  }
  await db.query(`ANALYZE ${JOIN_TABLES.join(', ')}`);
  return created;
}

/** Drops the lab's join indexes and puts back what dropJoinIndexes removed. */
export async function restoreJoinIndexes(db: Queryable, dropped: DroppedIndexes): Promise<void> {
  for (const [table, column] of JOIN_COLUMNS) await db.query(`DROP INDEX IF EXISTS ${LAB_INDEX_PREFIX}${table}_${column}`);
  for (const sql of dropped.restore) await db.query(sql);
  await db.query(`ANALYZE ${JOIN_TABLES.join(', ')}`);
}

export interface JoinRun {
  /** EXPLAIN (ANALYZE, BUFFERS) text, as written to the log. */
  text: string;
  json: ExplainResult;
  accesses: RelationAccess[];
  nodeTypes: string[];
  executionMs: number;
  sharedHit: number;
  sharedRead: number;
}

/** The complex join for one customer, explained (JSON for checks, text for the log). */
export async function explainComplexJoin(db: Queryable, sqlDir: string, userId: string): Promise<JoinRun> {
  const bound = loadQueryFile(path.join(sqlDir, COMPLEX_JOIN_FILE)).bind({ user_id: userId });
  // One unmeasured run first, so the JSON (for checks and the summary) and the text (for the log)
  // both describe warm runs: what stays a disk read then is what does not fit in shared_buffers.
  await db.query(bound.text, bound.values);
  const json = (
    await db.query<{ 'QUERY PLAN': ExplainResult[] }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${bound.text}`, bound.values)
  ).rows[0]!['QUERY PLAN'][0]!;
  const text = (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${bound.text}`, bound.values)).rows
    .map((r) => r['QUERY PLAN'])
    .join('\n');
  const nodeTypes: string[] = [];
  const visit = (n: ExplainResult['Plan']) => {
    nodeTypes.push(n['Node Type']);
    for (const c of n.Plans ?? []) visit(c);
  };
  visit(json.Plan);
  return {
    text,
    json,
    accesses: relationAccesses(json.Plan),
    nodeTypes,
    executionMs: Number(json['Execution Time']),
    sharedHit: Number(json.Plan['Shared Hit Blocks'] ?? 0),
    sharedRead: Number(json.Plan['Shared Read Blocks'] ?? 0),
  };
}

/** The customer the lab explains: the one with the most orders (ties: smallest id). */
export async function labCustomer(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ user_id: string }>(
    `SELECT user_id::text FROM orders GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 1`,
  );
  if (!rows[0]) throw new Error('no orders: synthesize data first');
  return rows[0].user_id;
}
