/**
 * pgTAP's catalog assertions, one call per check line: hasTable, hasColumn, colTypeIs, colNotNull,
 * hasPk, colIsUnique, fkOk. Each reads the catalog through helpers/catalog/introspect (qualified
 * pg_catalog queries) and fails with pgTAP's own name, have/want and the fix a student applies.
 */
import { columnsOf, foreignKeysOf, primaryKeyOf, tableNames, uniqueColumnSetsOf } from '../catalog/introspect.js';
import type { SpecDatabase } from '../db/spec-database.js';
import { fail, failHaveWant } from './have-want.js';

export interface TypeFamily {
  accepts: RegExp;
  want: string;
}

export interface ForeignKeyWant {
  table: string;
  columns: string[];
  references: string;
  refColumns: string[];
}

/** has_table: the table exists in schema public (the check of the table itself). */
export async function hasTable(db: SpecDatabase, table: string): Promise<void> {
  const tables = await tableNames(db);
  if (!tables.includes(table))
    failHaveWant(
      `has_table(public.${table})`,
      tables.length ? `tables: ${tables.join(', ')}` : 'no tables in schema public',
      table,
      `CREATE TABLE ${table} (...) — see CONTRACT.md for its columns`,
    );
}

/**
 * The precondition of every other check of a table: a missing table is reported as missing, never
 * as a table without keys or constraints; one message per table, printed once for all its checks.
 */
export async function requireTable(db: SpecDatabase, table: string): Promise<void> {
  if (!(await tableNames(db)).includes(table))
    fail(
      `table ${table} does not exist yet, so its columns, keys and constraints cannot be checked`,
      `create table ${table} first (CONTRACT.md, Task 1)`,
    );
}

/** has_column, col_type_is (the type or, for a domain, its base type) and col_not_null. */
export async function columnIs(
  db: SpecDatabase,
  table: string,
  column: string,
  family: TypeFamily,
  notNull: boolean,
): Promise<void> {
  await requireTable(db, table);
  const have = await columnsOf(db, table);
  const facts = have.get(column);
  if (!facts)
    failHaveWant(
      `has_column(${table}.${column})`,
      `columns: ${[...have.keys()].join(', ')}`,
      column,
      `add the column ${column} ${family.want} to ${table}`,
    );
  if (!family.accepts.test(facts.type) && !family.accepts.test(facts.baseType))
    failHaveWant(
      `col_type_is(${table}.${column})`,
      facts.type,
      family.want,
      `ALTER TABLE ${table} ALTER COLUMN ${column} TYPE ${family.want.split(' ')[0]}`,
    );
  if (notNull && !facts.notNull)
    failHaveWant(
      `col_not_null(${table}.${column})`,
      'NULL allowed',
      'NOT NULL',
      `ALTER TABLE ${table} ALTER COLUMN ${column} SET NOT NULL`,
    );
}

/** has_pk, and col_type_is uuid for every column of it. */
export async function hasUuidPk(db: SpecDatabase, table: string): Promise<void> {
  await requireTable(db, table);
  const have = await columnsOf(db, table);
  const pk = await primaryKeyOf(db, table);
  if (pk.length === 0) failHaveWant(`has_pk(${table})`, 'no primary key', 'a uuid primary key', `add PRIMARY KEY to ${table}`);
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
}

/** col_is_unique: a unique constraint or index (the primary key included) on exactly this column. */
export async function colIsUnique(db: SpecDatabase, table: string, column: string, fix: string): Promise<void> {
  await requireTable(db, table);
  const sets = await uniqueColumnSetsOf(db, table);
  if (!sets.some((s) => s.length === 1 && s[0] === column))
    failHaveWant(
      `col_is_unique(${table}.${column})`,
      sets.length ? sets.map((s) => `(${s.join(', ')})`).join(', ') : 'no unique constraint',
      `(${column})`,
      fix,
    );
}

/** fk_ok: a foreign key from exactly these columns to exactly those. */
export async function fkOk(db: SpecDatabase, want: ForeignKeyWant): Promise<void> {
  const { table, columns, references, refColumns } = want;
  await requireTable(db, table);
  const fks = await foreignKeysOf(db, table);
  const match = fks.find(
    (fk) =>
      fk.referencedTable === references &&
      fk.columns.join() === columns.join() &&
      fk.referencedColumns.join() === refColumns.join(),
  );
  if (!match)
    failHaveWant(
      `fk_ok(${table}(${columns.join(', ')}) → ${references}(${refColumns.join(', ')}))`,
      fks.length
        ? fks.map((fk) => `${fk.columns.join(', ')} → ${fk.referencedTable}(${fk.referencedColumns.join(', ')})`).join('; ')
        : 'no foreign keys',
      `${columns.join(', ')} → ${references}(${refColumns.join(', ')})`,
      `${columns.join(', ')} uuid NOT NULL REFERENCES ${references} (${refColumns.join(', ')}) ON DELETE …`,
    );
}
