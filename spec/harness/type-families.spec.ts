/**
 * Fairness: the catalog check accepts every type CONTRACT.md lists for a family, directly or
 * through a domain (also a domain over a domain), and still refuses the types it rules out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { columnsOf } from '../../helpers/catalog/introspect.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { TYPE_FAMILIES, type TypeFamily } from '../task1-schema/required-schema.js';

const db = useSpecDatabase();
const TABLE = 'harness_type_family_probe';

/** column → [family, SQL type]; d_* are domains, dd_* domains over domains. */
const ACCEPTED: Record<string, [TypeFamily, string]> = {
  t_text: ['text', 'text'],
  t_varchar: ['text', 'varchar(40)'],
  t_char: ['text', 'char(2)'],
  d_char: ['text', 'public.harness_d_char2'],
  dd_char: ['text', 'public.harness_dd_char2'],
  d_varchar: ['text', 'public.harness_d_varchar'],
  t_numeric: ['numeric', 'numeric'],
  t_numeric_4: ['numeric', 'numeric(14,4)'],
  d_numeric_4: ['numeric', 'public.harness_d_money'],
  dd_numeric_4: ['numeric', 'public.harness_dd_money'],
  t_smallint: ['integer', 'smallint'],
  d_integer: ['integer', 'public.harness_d_stock'],
  t_bigint: ['integer', 'bigint'],
  t_tstz: ['timestamptz', 'timestamptz'],
  t_tstz_3: ['timestamptz', 'timestamptz(3)'],
  d_tstz: ['timestamptz', 'public.harness_d_instant'],
  d_uuid: ['uuid', 'public.harness_d_key'],
  d_jsonb: ['jsonb', 'public.harness_d_document'],
};
const REFUSED: Record<string, [TypeFamily, string]> = {
  r_float: ['numeric', 'double precision'],
  r_money: ['numeric', 'money'],
  d_float: ['numeric', 'public.harness_d_float'],
  r_timestamp: ['timestamptz', 'timestamp'],
  r_json: ['jsonb', 'json'],
  d_json: ['jsonb', 'public.harness_d_json'],
  r_text_key: ['uuid', 'text'],
};

// Checks run with pg_catalog first on the search_path (SECURITY.md): what they create is qualified.
beforeAll(async () => {
  for (const sql of [
    'CREATE DOMAIN public.harness_d_char2 AS char(2)',
    'CREATE DOMAIN public.harness_dd_char2 AS public.harness_d_char2 CHECK (VALUE ~ $$^[A-Z]{2}$$)',
    'CREATE DOMAIN public.harness_d_varchar AS varchar(254)',
    'CREATE DOMAIN public.harness_d_money AS numeric(14,4)',
    'CREATE DOMAIN public.harness_dd_money AS public.harness_d_money CHECK (VALUE >= 0)',
    'CREATE DOMAIN public.harness_d_stock AS integer CHECK (VALUE >= 0)',
    'CREATE DOMAIN public.harness_d_instant AS timestamptz',
    'CREATE DOMAIN public.harness_d_key AS uuid',
    'CREATE DOMAIN public.harness_d_document AS jsonb',
    'CREATE DOMAIN public.harness_d_float AS double precision',
    'CREATE DOMAIN public.harness_d_json AS json',
    `CREATE TABLE public.${TABLE} (${Object.entries({ ...ACCEPTED, ...REFUSED })
      .map(([column, [, type]]) => `${column} ${type}`)
      .join(', ')})`,
  ])
    await db.query(sql);
});

const accepts = (family: TypeFamily, facts: { type: string; baseType: string }) =>
  TYPE_FAMILIES[family].accepts.test(facts.type) || TYPE_FAMILIES[family].accepts.test(facts.baseType);

describe('harness · type families through domains', () => {
  it.each(Object.entries(ACCEPTED))('%s is accepted', async (column, [family]) => {
    const facts = (await columnsOf(db, TABLE)).get(column)!;
    expect(accepts(family, facts), `${facts.type} (base ${facts.baseType}) as ${family}`).toBe(true);
  });

  it.each(Object.entries(REFUSED))('%s is refused', async (column, [family]) => {
    const facts = (await columnsOf(db, TABLE)).get(column)!;
    expect(accepts(family, facts), `${facts.type} (base ${facts.baseType}) as ${family}`).toBe(false);
  });

  it('a domain over a domain over char(2) reads as character(2)', async () => {
    expect((await columnsOf(db, TABLE)).get('dd_char')!.baseType).toBe('character(2)');
  });
});
