import type pg from 'pg';
import { studentError } from '../vitest/student-error.js';

/** The tables every other task builds on. */
const TASK1_TABLES = ['users', 'products', 'inventory', 'orders', 'order_items', 'audit_logs'];

/**
 * What a spec file needs the solution to define before its checks mean anything: relation names
 * (`users`, `daily_sales_stats`) and routine names with parentheses (`process_order()`).
 * Missing ones fail every check of the file with one message that says what to build next,
 * instead of a cascade of "relation does not exist" errors.
 */
export async function assertDefined(client: Pick<pg.Client, 'query'>, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const { rows } = await client.query<{ name: string; kind: string | null }>(
    `SELECT n AS name,
            CASE WHEN n LIKE '%()' THEN
                   (SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END
                      FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace s ON s.oid = p.pronamespace
                     WHERE s.nspname = 'public' AND p.proname = pg_catalog.left(n, -2) LIMIT 1)
                 ELSE
                   (SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'table' END
                      FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass(pg_catalog.format('public.%I', n)))
            END AS kind
       FROM pg_catalog.unnest($1::text[]) AS n`,
    [names],
  );
  const missing = rows
    .filter((r) => r.kind === null)
    .map((r) => (r.name.endsWith('()') ? `routine ${r.name}` : `relation ${r.name}`));
  if (missing.length === 0) return;
  // Without the Task 1 tables nothing else can work: every file then says the same one thing (printed once).
  const { rows: absent } = await client.query<{ name: string }>(
    `SELECT n AS name FROM unnest($1::text[]) AS n WHERE to_regclass(format('public.%I', n)) IS NULL`,
    [TASK1_TABLES],
  );
  if (absent.length > 0) {
    throw studentError(
      [
        `The Task 1 tables do not exist yet: ${absent.map((r) => r.name).join(', ')}.`,
        `  next: start with Task 1 — create them in 10_schema.sql (CONTRACT.md, Task 1); the other tasks' checks need them`,
      ].join('\n'),
    );
  }
  throw studentError(
    [
      `These checks need what the solution does not define yet:`,
      ...missing.map((m) => `  - ${m}`),
      `  fix: create them in schema public with the names and columns CONTRACT.md gives`,
    ].join('\n'),
  );
}
