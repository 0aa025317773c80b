import type pg from 'pg';
import { studentError } from '../vitest/student-error.js';

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
  if (missing.length > 0) {
    throw studentError(
      [
        `These checks need what the solution does not define yet:`,
        ...missing.map((m) => `  - ${m}`),
        `  fix: create them in schema public with the names and columns CONTRACT.md gives`,
      ].join('\n'),
    );
  }
}
