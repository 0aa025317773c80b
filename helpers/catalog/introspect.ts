import type { SpecDatabase } from '../db/spec-database.js';

/** Reads the system catalogs the way pgTAP's has_table/col_type_is/fk_ok do, for the public schema. */

export interface ColumnFacts {
  name: string;
  /** format_type(), e.g. "numeric(12,2)", "timestamp with time zone". */
  type: string;
  /** format_type() of the underlying base type when the column uses a domain (recursively), else the same as type. */
  baseType: string;
  notNull: boolean;
  defaultExpr: string | null;
}

export interface ForeignKeyFacts {
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  /** a = no action, r = restrict, c = cascade, n = set null, d = set default */
  onDelete: string;
}

export async function tableNames(db: SpecDatabase): Promise<string[]> {
  const { rows } = await db.query<{ relname: string }>(
    `SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  return rows.map((r) => r.relname);
}

export async function columnsOf(db: SpecDatabase, table: string): Promise<Map<string, ColumnFacts>> {
  const { rows } = await db.query<{
    name: string;
    type: string;
    base_type: string;
    not_null: boolean;
    default_expr: string | null;
  }>(
    `SELECT a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
            pg_catalog.format_type(b.base_oid, b.base_typmod) AS base_type,
            a.attnotnull AS not_null, pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default_expr
       FROM pg_catalog.pg_attribute a
       -- a domain's base type, followed through domains over domains, with the typmod where it is set (char(2))
       CROSS JOIN LATERAL (
         WITH RECURSIVE chain(oid, typmod, depth) AS (
           SELECT a.atttypid, a.atttypmod, 0
           UNION ALL
           SELECT t.typbasetype, CASE WHEN t.typtypmod >= 0 THEN t.typtypmod ELSE c.typmod END, c.depth + 1
             FROM chain c JOIN pg_catalog.pg_type t ON t.oid = c.oid
            WHERE t.typtype = 'd'
         )
         SELECT oid AS base_oid, typmod AS base_typmod FROM chain ORDER BY depth DESC LIMIT 1
       ) b
       LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = pg_catalog.to_regclass(pg_catalog.format('public.%I', $1::text)) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [table],
  );
  return new Map(
    rows.map((r) => [
      r.name,
      { name: r.name, type: r.type, baseType: r.base_type, notNull: r.not_null, defaultExpr: r.default_expr },
    ]),
  );
}

export async function primaryKeyOf(db: SpecDatabase, table: string): Promise<string[]> {
  const { rows } = await db.query<{ attname: string }>(
    `SELECT a.attname::text AS attname FROM pg_catalog.pg_constraint c
       CROSS JOIN LATERAL pg_catalog.unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
      WHERE c.conrelid = pg_catalog.to_regclass(pg_catalog.format('public.%I', $1::text)) AND c.contype = 'p'
      ORDER BY k.ord`,
    [table],
  );
  return rows.map((r) => r.attname);
}

/** Column sets that are unique: the primary key, UNIQUE constraints and unique indexes without predicates. */
export async function uniqueColumnSetsOf(db: SpecDatabase, table: string): Promise<string[][]> {
  const { rows } = await db.query<{ cols: string[] }>(
    `SELECT pg_catalog.array_agg(a.attname::text ORDER BY k.ord) AS cols
       FROM pg_catalog.pg_index i
       CROSS JOIN LATERAL pg_catalog.unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = pg_catalog.to_regclass(pg_catalog.format('public.%I', $1::text)) AND i.indisunique AND i.indpred IS NULL
      GROUP BY i.indexrelid`,
    [table],
  );
  return rows.map((r) => r.cols);
}

export async function foreignKeysOf(db: SpecDatabase, table: string): Promise<ForeignKeyFacts[]> {
  const { rows } = await db.query<{
    name: string;
    columns: string[];
    ref_table: string;
    ref_columns: string[];
    on_delete: string;
  }>(
    `SELECT c.conname AS name,
            (SELECT pg_catalog.array_agg(a.attname::text ORDER BY k.ord) FROM pg_catalog.unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,
            c.confrelid::regclass::text AS ref_table,
            (SELECT pg_catalog.array_agg(a.attname::text ORDER BY k.ord) FROM pg_catalog.unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS ref_columns,
            c.confdeltype AS on_delete
       FROM pg_catalog.pg_constraint c
      WHERE c.conrelid = pg_catalog.to_regclass(pg_catalog.format('public.%I', $1::text)) AND c.contype = 'f'
      ORDER BY c.conname`,
    [table],
  );
  return rows.map((r) => ({
    name: r.name,
    columns: r.columns,
    referencedTable: r.ref_table.replace(/^public\./, ''),
    referencedColumns: r.ref_columns,
    onDelete: r.on_delete,
  }));
}
