/**
 * The loader that runs psql query files through `pg`: `:'name'` and `:name` become `$n`
 * parameters, everything psql would not substitute (quotes, comments, dollar quotes, casts) stays.
 */
import { describe, expect, it } from 'vitest';
import { parseQuery, QueryFileError } from '../../helpers/sql/query-file.js';

describe('harness · psql query files bind their variables as parameters', () => {
  it("binds :'name' and :name to $n, one number per name, in order of first use", () => {
    const q = parseQuery(
      "SELECT * FROM orders WHERE user_id = :'user_id' AND order_date < :'day'::date + 1 AND user_id = :'user_id' LIMIT :n;\n",
    );
    expect(q.variables).toEqual(['user_id', 'day', 'n']);
    expect(q.sql.endsWith('LIMIT :n')).toBe(true);
    expect(q.bind({ user_id: 'u', day: '2026-01-01', n: 5 })).toEqual({
      text: 'SELECT * FROM orders WHERE user_id = $1 AND order_date < $2::date + 1 AND user_id = $1 LIMIT $3',
      values: ['u', '2026-01-01', 5],
    });
  });

  it('leaves casts, strings, quoted identifiers, comments and dollar quotes alone', () => {
    const source = [
      "SELECT x::int, ':'::text AS \":odd\", E'it\\'s :not' -- :nor_this",
      "/* :nope /* nested :no */ */ , $q$ :inside $q$, $1::text, arr[1:2], :'real'",
    ].join('\n');
    const q = parseQuery(source);
    expect(q.variables).toEqual(['real']);
    expect(q.bind({ real: 1 }).text).toBe(source.replace(":'real'", '$1'));
  });

  it('refuses a missing value and :"identifier" variables, which cannot be parameters', () => {
    expect(() => parseQuery("SELECT :'a'").bind({})).toThrow(QueryFileError);
    expect(() => parseQuery('SELECT * FROM :"table"')).toThrow(QueryFileError);
  });
});
