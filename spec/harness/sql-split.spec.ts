/**
 * The loader applies a solution statement by statement, as psql does; these are the lexical
 * cases where a naive split on ";" would break a correct solution or hide the failing line.
 */
import { describe, expect, it } from 'vitest';
import { SqlSplitError, splitSql } from '../../helpers/sql/split.js';

const texts = (sql: string) => splitSql(sql).map((s) => s.text);

describe('harness · SQL statement splitter', () => {
  it('splits on top-level semicolons and reports each statement line', () => {
    const statements = splitSql('-- header\nCREATE TABLE a (x int);\n\n  SELECT 1;\nSELECT 2');
    expect(statements.map((s) => [s.text, s.line])).toEqual([
      ['CREATE TABLE a (x int)', 2],
      ['SELECT 1', 4],
      ['SELECT 2', 5],
    ]);
  });

  it('keeps semicolons inside quotes, identifiers, comments and dollar quotes', () => {
    const sql = `SELECT ';', E'\\';', "a;b" FROM t /* ; /* nested ; */ */;
CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn$ BEGIN RETURN 1; END $fn$;
DO $$ BEGIN PERFORM 1; END $$;`;
    expect(texts(sql)).toHaveLength(3);
    expect(texts(sql)[1]).toContain('RETURN 1; END $fn$');
  });

  it('keeps SQL-standard BEGIN ATOMIC bodies whole, including CASE … END inside', () => {
    const sql = `CREATE FUNCTION g(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END; SELECT 2; END;
SELECT 3;`;
    expect(texts(sql)).toEqual([expect.stringMatching(/^CREATE FUNCTION g.*SELECT 2; END$/s), 'SELECT 3']);
  });

  it('does not treat $1 parameters or identifiers with $ as dollar quotes', () => {
    expect(texts('PREPARE p AS SELECT $1::int; SELECT a$b FROM t;')).toEqual([
      'PREPARE p AS SELECT $1::int',
      'SELECT a$b FROM t',
    ]);
  });

  it('refuses psql meta-commands with their line instead of dropping them', () => {
    expect(() => splitSql('SELECT 1;\n\\i other.sql\n')).toThrowError(SqlSplitError);
    try {
      splitSql('SELECT 1;\n\\i other.sql\n');
    } catch (error) {
      expect((error as SqlSplitError).line).toBe(2);
    }
  });

  it('reports an unterminated string at the line where it starts', () => {
    expect(() => splitSql("SELECT 1;\nSELECT 'oops;\n")).toThrowError(/unterminated quoted string/);
  });
});
