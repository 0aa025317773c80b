/**
 * Task 1 — "use UUID v7 for all primary keys". Every table's surrogate key defaults to a
 * version 7 UUID: RFC 9562 variant, a millisecond timestamp prefix close to the server clock,
 * and strictly increasing within a session, so inserts land at the right-most B-tree leaf.
 */
import { describe, expect, it } from 'vitest';
import { columnsOf, foreignKeysOf, primaryKeyOf, tableNames } from '../../helpers/catalog/introspect.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { uuidFields } from '../../helpers/uuid/layout.js';
import { requireTable } from '../../helpers/vitest/catalog-tap.js';
import { fail, failHaveWant } from '../../helpers/vitest/have-want.js';
import { REQUIRED_TABLES } from './required-schema.js';

const db = useSpecDatabase();
const IDS_PER_SESSION = 10_000;
const CLOCK_TOLERANCE_MS = 5_000;

/** Surrogate key columns: primary key columns that are not also a foreign key. */
async function surrogateKeys(table: string) {
  const [pk, fks, columns] = await Promise.all([primaryKeyOf(db, table), foreignKeysOf(db, table), columnsOf(db, table)]);
  const fkColumns = new Set(fks.flatMap((fk) => fk.columns));
  return pk.filter((c) => !fkColumns.has(c)).map((c) => columns.get(c)!);
}

describe('Task 1 · UUID v7 primary keys', { tags: ['task1', 'deliverable-schema'] }, () => {
  // clause: t1.uuid-pk general.schema-public
  it('every table in schema public has a primary key of uuid columns', async () => {
    const offenders: string[] = [];
    const tables = await tableNames(db);
    if (tables.length === 0)
      fail(
        'every primary key is a uuid: schema public has no tables yet',
        'create the tables of CONTRACT.md with uuid primary keys DEFAULT uuidv7()',
      );
    for (const table of tables) {
      const pk = await primaryKeyOf(db, table);
      const columns = await columnsOf(db, table);
      if (pk.length === 0) offenders.push(`${table}: no primary key`);
      for (const c of pk) if (columns.get(c)!.baseType !== 'uuid') offenders.push(`${table}.${c}: ${columns.get(c)!.type}`);
    }
    if (offenders.length)
      failHaveWant(
        'every primary key is a uuid',
        offenders.join('; '),
        'uuid primary keys everywhere',
        'replace serial/bigint keys with uuid DEFAULT uuidv7()',
      );
  });

  for (const { table } of REQUIRED_TABLES) {
    // clause: t1.uuidv7-default
    it(`${table}: the surrogate key default yields ${IDS_PER_SESSION.toLocaleString('en')} version-7 UUIDs, strictly increasing, stamped with the current time`, async () => {
      const keys = await surrogateKeys(table);
      if (keys.length === 0) {
        await requireTable(db, table);
        const pk = await primaryKeyOf(db, table);
        if (pk.length === 0) fail(`${table} has no primary key`, 'add a uuid primary key DEFAULT uuidv7()');
        return; // keyed by its parent's id (e.g. inventory.product_id): no surrogate to generate
      }
      for (const key of keys) {
        if (!key.defaultExpr)
          failHaveWant(
            `${table}.${key.name} default`,
            'no default',
            'DEFAULT uuidv7()',
            `ALTER TABLE ${table} ALTER COLUMN ${key.name} SET DEFAULT uuidv7()`,
          );
        const session = await db.connect();
        try {
          const before = await session.query<{ ms: string }>(
            `SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint::text AS ms`,
          );
          const { rows } = await session.query<{ id: string }>(
            `SELECT (${key.defaultExpr})::text AS id FROM generate_series(1, ${IDS_PER_SESSION}) AS g ORDER BY g`,
          );
          const after = await session.query<{ ms: string }>(
            `SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint::text AS ms`,
          );
          const [lo, hi] = [Number(before.rows[0]!.ms) - CLOCK_TOLERANCE_MS, Number(after.rows[0]!.ms) + CLOCK_TOLERANCE_MS];
          rows.forEach(({ id }, i) => {
            const f = uuidFields(id);
            if (f.version !== 7)
              failHaveWant(
                `${table}.${key.name} DEFAULT ${key.defaultExpr}: UUID version`,
                `version ${f.version} (${id})`,
                'version 7',
                'use uuidv7() (PostgreSQL 18) or the uuidv7() function of 00_uuidv7.sql; gen_random_uuid() is version 4',
              );
            if (f.variant !== 'rfc9562')
              failHaveWant(
                `${table}.${key.name}: UUID variant`,
                `${f.variant} (${id})`,
                'RFC 9562 variant (10xx)',
                'set the two variant bits of byte 8 to 10',
              );
            if (f.unixMillis < lo || f.unixMillis > hi)
              failHaveWant(
                `${table}.${key.name}: timestamp prefix of ${id}`,
                new Date(f.unixMillis).toISOString(),
                `within ${CLOCK_TOLERANCE_MS / 1000}s of the server clock (${new Date(lo + CLOCK_TOLERANCE_MS).toISOString()})`,
                'the first 48 bits are Unix milliseconds',
              );
            if (i > 0 && !(rows[i - 1]!.id < id))
              failHaveWant(
                `${table}.${key.name}: key #${i + 1} of one session`,
                `${id} after ${rows[i - 1]!.id}`,
                'strictly increasing keys',
                'keep a monotonic counter or sub-millisecond fraction in rand_a, as PostgreSQL 18 does',
              );
          });
          expect(rows).toHaveLength(IDS_PER_SESSION);
        } finally {
          await session.end();
        }
      }
    });
  }
});
