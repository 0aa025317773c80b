import { existsSync } from 'node:fs';
import { readSubmissionFile } from '../safety/submission-files.js';
import { skipComment, skipQuoted } from './lexical.js';
import { displayPath } from './load.js';
import { splitSql } from './split.js';

/**
 * A query file written for psql (`psql -v user_id=… -f file.sql`), loaded so the specs can run it
 * through `pg` with bind parameters instead of text substitution.
 */
export interface QueryFile {
  /** The file's statement, trailing semicolon and whitespace removed (ready for `EXPLAIN …`). */
  readonly sql: string;
  /** Variable names in order of first use (`:'name'` and `:name`). */
  readonly variables: readonly string[];
  /** The statement with `$1…$n` in place of the variables, and the values in that order. */
  bind(values: Record<string, unknown>): { text: string; values: unknown[] };
}

/** A query file the student has to fix: the message says what, and no stack trace follows it. */
export class QueryFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryFileError';
    this.stack = `${this.name}: ${message}`;
  }
}

interface Occurrence {
  start: number;
  end: number;
  name: string;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_\u0080-\uffff]/;

/**
 * Finds psql variable references the way psql's lexer does: not inside quotes, quoted identifiers,
 * comments or dollar quotes, and never the second colon of a `::` cast.
 */
export function findVariables(source: string): Occurrence[] {
  const found: Occurrence[] = [];
  const n = source.length;
  let i = 0;
  while (i < n) {
    const c = source[i]!;
    const next = source[i + 1];
    const skipped = skipComment(source, i) ?? skipQuoted(source, i);
    if (skipped !== null) {
      i = skipped;
    } else if (c === ':' && next === ':') {
      i += 2; // a cast, never a variable
    } else if (c === ':' && next === "'") {
      const close = source.indexOf("'", i + 2);
      const name = close < 0 ? '' : source.slice(i + 2, close);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new QueryFileError(`malformed variable :'${name}' at offset ${i}`);
      found.push({ start: i, end: close + 1, name });
      i = close + 1;
    } else if (c === ':' && next === '"') {
      throw new QueryFileError(`:"identifier" variables cannot be bound as parameters (offset ${i}); use :'name' for values`);
    } else if (c === ':' && next !== undefined && IDENT_START.test(next)) {
      let end = i + 1;
      while (end < n && IDENT_PART.test(source[end]!)) end++;
      found.push({ start: i, end, name: source.slice(i + 1, end) });
      i = end;
    } else {
      i++;
    }
  }
  return found;
}

/** Parses query text (see loadQueryFile). */
export function parseQuery(source: string, origin = 'query'): QueryFile {
  const sql = source.replace(/[\s;]+$/u, '');
  let occurrences: Occurrence[];
  try {
    occurrences = findVariables(sql);
  } catch (error) {
    throw new QueryFileError(`${origin}: ${(error as Error).message}`);
  }
  const variables = [...new Set(occurrences.map((o) => o.name))];
  return {
    sql,
    variables,
    bind(values) {
      const missing = variables.filter((v) => !(v in values));
      if (missing.length > 0)
        throw new QueryFileError(
          `${origin} needs ${missing.map((m) => `:'${m}'`).join(', ')} (given: ${Object.keys(values).join(', ') || 'nothing'})`,
        );
      let text = '';
      let from = 0;
      for (const o of occurrences) {
        text += `${sql.slice(from, o.start)}$${variables.indexOf(o.name) + 1}`;
        from = o.end;
      }
      text += sql.slice(from);
      return { text, values: variables.map((v) => values[v]) };
    },
  };
}

/** Reads a psql query file and turns its `:'name'` / `:name` variables into `$n` parameters. */
export function loadQueryFile(path: string): QueryFile {
  const shown = displayPath(path);
  if (!existsSync(path))
    throw new QueryFileError(`the query file ${shown} does not exist\n  fix: write it; CONTRACT.md says what it must return`);
  let source: string;
  try {
    source = readSubmissionFile(path); // never through a link: feedback must not quote a file from elsewhere
  } catch (error) {
    throw new QueryFileError(`${(error as Error).message}\n  fix: put the query file itself in the solution's folder`);
  }
  let statements = 0;
  try {
    statements = splitSql(source).length;
  } catch (error) {
    throw new QueryFileError(`${shown}: ${(error as Error).message}`);
  }
  if (statements === 0)
    throw new QueryFileError(
      `the query file ${shown} holds no statement yet (only comments)\n  fix: write the query; CONTRACT.md says what it must return`,
    );
  return parseQuery(source, shown);
}
