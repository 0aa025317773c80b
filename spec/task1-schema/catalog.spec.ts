/**
 * Task 1 — "Complete .sql schema with UUID v7 primary keys and proper foreign key constraints."
 * pgTAP-style catalog checks, one line each (helpers/vitest/catalog-tap.ts): has_table,
 * col_type_is, col_not_null, has_pk, col_is_unique, fk_ok.
 */
import { describe, it } from 'vitest';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { colIsUnique, columnIs, fkOk, hasTable, hasUuidPk } from '../../helpers/vitest/catalog-tap.js';
import { REQUIRED_FOREIGN_KEYS, REQUIRED_TABLES, TYPE_FAMILIES } from './required-schema.js';

const db = useSpecDatabase();

// clause: general.schema-public
describe('Task 1 · schema catalog', { tags: ['task1', 'deliverable-schema'] }, () => {
  for (const { table, purpose, columns } of REQUIRED_TABLES)
    describe(`table ${table}`, () => {
      it(`exists (${purpose})`, () => hasTable(db, table));

      // clause: t1.columns t1.types
      for (const { column, family, notNull } of columns)
        it(`column ${table}.${column} is ${family}${notNull ? ' NOT NULL' : ''}`, () =>
          columnIs(db, table, column, TYPE_FAMILIES[family], notNull));

      // clause: t1.uuid-pk
      it('has a primary key made of uuid columns', () => hasUuidPk(db, table));
    });

  // clause: t1.columns
  it('inventory holds at most one stock row per product (product_id is unique)', () =>
    colIsUnique(db, 'inventory', 'product_id', 'make inventory.product_id the primary key or UNIQUE'));

  // clause: t1.unique
  it('products.sku is unique', () => colIsUnique(db, 'products', 'sku', 'ALTER TABLE products ADD UNIQUE (sku)'));

  // clause: t1.columns
  for (const fk of REQUIRED_FOREIGN_KEYS)
    it(`fk_ok(${fk.table}.${fk.columns.join(', ')} → ${fk.references}.${fk.refColumns.join(', ')})`, () => fkOk(db, fk));
});
