/**
 * Task 1 — "Complete .sql schema with UUID v7 primary keys and proper foreign key constraints."
 * pgTAP-style catalog checks: has_table, col_type_is, col_not_null, has_pk, fk_ok.
 */
import { describe, it } from 'vitest';
import { columnsOf, foreignKeysOf, primaryKeyOf, tableNames, uniqueColumnSetsOf } from '../../helpers/catalog/introspect.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { fail, failHaveWant } from '../../helpers/vitest/have-want.js';
import { REQUIRED_FOREIGN_KEYS, REQUIRED_TABLES, TYPE_FAMILIES } from './required-schema.js';

const db = useSpecDatabase();

/**
 * A missing table is reported as missing, never as a table without keys or constraints; one
 * message per table, so the run prints it once for all of that table's checks.
 */
async function requireTable(table: string): Promise<void> {
  if (!(await tableNames(db)).includes(table))
    fail(
      `table ${table} does not exist yet, so its columns, keys and constraints cannot be checked`,
      `create table ${table} first (CONTRACT.md, Task 1)`,
    );
}

// clause: general.schema-public
describe('Task 1 · schema catalog', { tags: ['task1', 'deliverable-schema'] }, () => {
  for (const { table, purpose, columns } of REQUIRED_TABLES)
    describe(`table ${table}`, () => {
      it(`exists (${purpose})`, async () => {
        const tables = await tableNames(db);
        if (!tables.includes(table)) {
          failHaveWant(
            `has_table(public.${table})`,
            tables.length ? `tables: ${tables.join(', ')}` : 'no tables in schema public',
            table,
            `CREATE TABLE ${table} (...) — see CONTRACT.md for its columns`,
          );
        }
      });

      // clause: t1.columns t1.types
      for (const { column, family, notNull } of columns)
        it(`column ${table}.${column} is ${family}${notNull ? ' NOT NULL' : ''}`, async () => {
          await requireTable(table);
          const have = await columnsOf(db, table);
          const facts = have.get(column);
          if (!facts)
            failHaveWant(
              `has_column(${table}.${column})`,
              `columns: ${[...have.keys()].join(', ')}`,
              column,
              `add the column ${column} ${TYPE_FAMILIES[family].want} to ${table}`,
            );
          const { accepts, want } = TYPE_FAMILIES[family];
          if (!accepts.test(facts.type) && !accepts.test(facts.baseType)) {
            failHaveWant(
              `col_type_is(${table}.${column})`,
              facts.type,
              want,
              `ALTER TABLE ${table} ALTER COLUMN ${column} TYPE ${want.split(' ')[0]}`,
            );
          }
          if (notNull && !facts.notNull) {
            failHaveWant(
              `col_not_null(${table}.${column})`,
              'NULL allowed',
              'NOT NULL',
              `ALTER TABLE ${table} ALTER COLUMN ${column} SET NOT NULL`,
            );
          }
        });

      // clause: t1.uuid-pk
      it('has a primary key made of uuid columns', async () => {
        await requireTable(table);
        const have = await columnsOf(db, table);
        const pk = await primaryKeyOf(db, table);
        if (pk.length === 0)
          failHaveWant(`has_pk(${table})`, 'no primary key', 'a uuid primary key', `add PRIMARY KEY to ${table}`);
        for (const column of pk) {
          const facts = have.get(column)!;
          if (facts.baseType !== 'uuid')
            failHaveWant(
              `col_type_is(${table}.${column}) — primary key`,
              facts.type,
              'uuid',
              'primary keys are UUIDs (version 7), not serial integers',
            );
        }
      });
    });

  // clause: t1.columns
  it('inventory holds at most one stock row per product (product_id is unique)', async () => {
    await requireTable('inventory');
    const sets = await uniqueColumnSetsOf(db, 'inventory');
    if (!sets.some((s) => s.length === 1 && s[0] === 'product_id')) {
      failHaveWant(
        'col_is_unique(inventory.product_id)',
        sets.length ? sets.map((s) => `(${s.join(', ')})`).join(', ') : 'no unique constraint',
        '(product_id)',
        'make inventory.product_id the primary key or UNIQUE',
      );
    }
  });

  // clause: t1.unique
  it('products.sku is unique', async () => {
    await requireTable('products');
    const sets = await uniqueColumnSetsOf(db, 'products');
    if (!sets.some((s) => s.length === 1 && s[0] === 'sku')) {
      failHaveWant(
        'col_is_unique(products.sku)',
        sets.map((s) => `(${s.join(', ')})`).join(', ') || 'no unique constraint',
        '(sku)',
        'ALTER TABLE products ADD UNIQUE (sku)',
      );
    }
  });

  // clause: t1.columns
  for (const { table, columns, references, refColumns } of REQUIRED_FOREIGN_KEYS)
    it(`fk_ok(${table}.${columns.join(', ')} → ${references}.${refColumns.join(', ')})`, async () => {
      await requireTable(table);
      const fks = await foreignKeysOf(db, table);
      const match = fks.find(
        (fk) =>
          fk.referencedTable === references &&
          fk.columns.join() === columns.join() &&
          fk.referencedColumns.join() === refColumns.join(),
      );
      if (!match) {
        failHaveWant(
          `fk_ok(${table}(${columns.join(', ')}) → ${references}(${refColumns.join(', ')}))`,
          fks.length
            ? fks.map((fk) => `${fk.columns.join(', ')} → ${fk.referencedTable}(${fk.referencedColumns.join(', ')})`).join('; ')
            : 'no foreign keys',
          `${columns.join(', ')} → ${references}(${refColumns.join(', ')})`,
          `${columns.join(', ')} uuid NOT NULL REFERENCES ${references} (${refColumns.join(', ')}) ON DELETE …`,
        );
      }
    });
});
