import type { Queryable } from '../../../helpers/db/queryable.js';

/**
 * md5 of every table in schema public, over its rows as text in a fixed order: equal checksums
 * before and after a call mean the call left every table byte-for-byte unchanged.
 */
export async function tableChecksums(db: Queryable): Promise<Record<string, string>> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class AS c
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
      ORDER BY c.relname`,
  );
  const sums: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await db.query<{ rows: string; md5: string }>(
      `SELECT count(*)::text AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS md5 FROM public.${quoteIdent(name)} AS t`,
    );
    sums[name] = `${rows[0]!.rows} rows, md5 ${rows[0]!.md5}`;
  }
  return sums;
}

/** Names of the tables whose checksum differs, with before → after. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).map((n) => `${n}: ${before[n] ?? 'absent'} → ${after[n] ?? 'absent'}`);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
