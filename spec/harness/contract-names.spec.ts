/**
 * Fairness: the harness touches only what CONTRACT.md documents. Every SQL text the specs and
 * helpers send is parsed with PostgreSQL's own grammar (libpg-query); each relation, routine and
 * column it names must be documented in CONTRACT.md, be PostgreSQL's own (pg_catalog,
 * information_schema), or be defined by the harness itself (its scratch tables, aliases, CTEs).
 * A name outside these is a name a correct solution need not have.
 */
import path from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { documentedNames } from '../../helpers/contract/documented-names.js';
import { loadSqlParser, parseReferencedNames } from '../../helpers/sql/referenced-names.js';
import { type SqlLiteral, sqlLiterals, TEMPLATE_PLACEHOLDER } from '../../helpers/sql/spec-sql-literals.js';

/** Where the SQL the checks send is written (the lab's join experiment runs inside a spec; harness specs test the harness). */
const SOURCES = [
  ...[
    'task1-schema',
    'task2-catalog',
    'task3-cohorts',
    'task4-checkout',
    'task5-lab',
    'task6-dashboard',
    'task7-moving-average',
    'indexing-precision',
  ].map((folder) => path.join('spec', folder)),
  'helpers',
];
/** Not PostgreSQL's core catalog, not the contract: the pgstattuple extension the index-physics spec creates. */
const EXTENSION_NAMES = ['pgstatindex', 'avg_leaf_density', 'leaf_pages', 'index_size', 'leaf_fragmentation'];

let allowed: Set<string>;
let literals: SqlLiteral[];

beforeAll(async () => {
  await loadSqlParser();
  const client = new pg.Client({ connectionString: inject('suite').adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(`
      SELECT c.relname::text AS name FROM pg_class AS c WHERE c.relnamespace IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
      UNION SELECT a.attname::text FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid
       WHERE c.relnamespace IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
      UNION SELECT p.proname::text FROM pg_proc AS p WHERE p.pronamespace = 'pg_catalog'::regnamespace`);
    allowed = new Set([
      ...documentedNames('CONTRACT.md'),
      ...rows.map((r) => r.name.toLowerCase()),
      ...EXTENSION_NAMES,
      TEMPLATE_PLACEHOLDER,
    ]);
  } finally {
    await client.end();
  }
  literals = sqlLiterals(SOURCES);
});

/** Undocumented names in the SQL of one file, given what that file's own SQL creates. */
function undocumented(sqls: readonly string[]): string[] {
  const parsed = sqls.flatMap((sql) => {
    try {
      return [parseReferencedNames(sql)];
    } catch {
      return []; // not SQL after all (a hint or message that happens to start with a keyword)
    }
  });
  const ownObjects = new Set(parsed.flatMap((p) => [...p.defined]));
  const names = parsed.flatMap((p) => [...p.relations, ...p.routines, ...p.columns]).map((n) => n.toLowerCase());
  return [...new Set(names.filter((n) => !allowed.has(n) && !ownObjects.has(n)))].sort();
}

describe('harness · the specs use only names CONTRACT.md documents', () => {
  it('finds the SQL the specs send (a parser that finds nothing proves nothing)', () => {
    const parsable = literals.filter((l) => {
      try {
        parseReferencedNames(l.sql);
        return true;
      } catch {
        return false;
      }
    });
    expect(parsable.length).toBeGreaterThan(150);
  });

  it('every relation, routine and column the SQL of specs and helpers names is documented', () => {
    const byFile = new Map<string, SqlLiteral[]>();
    for (const l of literals) byFile.set(l.file, [...(byFile.get(l.file) ?? []), l]);
    const offenders = [...byFile].flatMap(([file, list]) =>
      undocumented(list.map((l) => l.sql)).map((name) => {
        const at = list.find((l) => new RegExp(`\\b${name}\\b`, 'i').test(l.sql));
        return `${name} (${file}:${at?.line ?? '?'})`;
      }),
    );
    expect(offenders, 'names a correct solution need not have: document them in CONTRACT.md or stop relying on them').toEqual([]);
  });

  it('would catch a check that relies on an undocumented name (the audit key column, a helper function)', () => {
    expect(undocumented(['SELECT operation FROM audit_logs ORDER BY changed_at, audit_log_id'])).toEqual(['audit_log_id']);
    expect(undocumented(['SELECT black_friday(2026)'])).toEqual(['black_friday']);
    expect(undocumented(['SELECT o.order_id, x.n FROM orders AS o CROSS JOIN LATERAL (SELECT 1 AS n) AS x'])).toEqual([]);
  });
});
