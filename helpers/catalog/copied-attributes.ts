import type { SpecDatabase } from '../db/spec-database.js';
import { foreignKeysOf, primaryKeyOf, tableNames } from './introspect.js';

/** A child table reached from a parent table through foreign keys, e.g. orders → users. */
export interface JoinPath {
  child: string;
  parent: string;
  /** FROM clause aliasing the child as c and the parent as p. */
  join: string;
  /** [childColumn, parentColumn] pairs that are documented copies (the price snapshot). */
  allowed?: [string, string][];
}

export interface CopiedAttribute {
  child: string;
  childColumn: string;
  parent: string;
  parentColumn: string;
  rows: number;
}

/**
 * Where a copied attribute could hide in the contract's schema: each child table joined to the
 * parent that owns the attribute. `unit_price` is the one copy the contract asks for (a price snapshot).
 */
export const CONTRACT_JOIN_PATHS: JoinPath[] = [
  { child: 'orders', parent: 'users', join: 'orders c JOIN users p USING (user_id)' },
  {
    child: 'order_items',
    parent: 'products',
    join: 'order_items c JOIN products p USING (product_id)',
    allowed: [['unit_price', 'price']],
  },
  {
    child: 'order_items',
    parent: 'users',
    join: 'order_items c JOIN orders o USING (order_id) JOIN users p ON p.user_id = o.user_id',
  },
];

/**
 * Finds columns of a child table whose value equals some non-key column of the parent row on
 * every joined row (with at least 3 distinct values, so coincidences do not count): a functional
 * dependency on a non-key, i.e. a 3NF violation.
 */
export async function copiedAttributes(db: SpecDatabase, paths: JoinPath[]): Promise<CopiedAttribute[]> {
  const found: CopiedAttribute[] = [];
  for (const path of paths) {
    const keys = async (table: string) =>
      new Set([...(await primaryKeyOf(db, table)), ...(await foreignKeysOf(db, table)).flatMap((fk) => fk.columns)]);
    const [childKeys, parentKeys] = await Promise.all([keys(path.child), keys(path.parent)]);
    const { rows } = await db.query<{ c: Record<string, unknown>; p: Record<string, unknown> }>(
      `SELECT to_jsonb(c) AS c, to_jsonb(p) AS p FROM ${path.join}`,
    );
    if (rows.length < 3) continue;
    const childColumns = Object.keys(rows[0]!.c).filter((k) => !childKeys.has(k));
    const parentColumns = Object.keys(rows[0]!.p).filter((k) => !parentKeys.has(k));
    for (const cc of childColumns) {
      for (const pc of parentColumns) {
        if (path.allowed?.some(([a, b]) => a === cc && b === pc)) continue;
        const text = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
        const same = rows.every((r) => text(r.c[cc]) !== null && text(r.c[cc]) === text(r.p[pc]));
        const distinct = new Set(rows.map((r) => text(r.c[cc]))).size;
        if (same && distinct >= 3)
          found.push({ child: path.child, childColumn: cc, parent: path.parent, parentColumn: pc, rows: rows.length });
      }
    }
  }
  return found;
}

export interface PiiLeak {
  table: string;
  value: string;
  row: string;
}

/** The first row outside `users` whose text holds one of the given personal values, if any. */
export async function firstPiiOutsideUsers(db: SpecDatabase, pii: readonly string[]): Promise<PiiLeak | undefined> {
  for (const table of await tableNames(db)) {
    if (table === 'users') continue;
    const { rows } = await db.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`);
    for (const { row } of rows) {
      const value = pii.find((v) => row.includes(v));
      if (value) return { table, value, row: row.slice(0, 200) };
    }
  }
  return undefined;
}
