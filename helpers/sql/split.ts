import { LexicalError, skipComment, skipQuoted } from './lexical.js';

/** One top-level SQL statement of a file, as psql would send it. */
export interface SqlStatement {
  text: string;
  /** 1-based line in the file where the statement's first token is. */
  line: number;
  /** 0-based character offset of `text` in the file. */
  offset: number;
}

export class SqlSplitError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const IDENT = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y;

/**
 * Splits a SQL script into statements the way psql does: semicolons end statements except
 * inside quotes, dollar quotes, comments, parentheses and SQL-standard BEGIN ATOMIC bodies.
 * psql meta-commands (lines starting with a backslash) are refused, not silently dropped.
 */
export function splitSql(source: string): SqlStatement[] {
  try {
    return split(source);
  } catch (error) {
    if (error instanceof LexicalError) throw new SqlSplitError(error.message, lineNumberAt(source, error.offset));
    throw error;
  }
}

function lineNumberAt(source: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (source.charCodeAt(i) === 10) n++;
  return n;
}

function split(source: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let start = -1; // offset of the current statement's first token
  let parens = 0;
  let atomicDepth = 0; // BEGIN ATOMIC ... END nesting inside CREATE FUNCTION/PROCEDURE
  let words: string[] = []; // leading keywords of the current statement
  const lineAt = (offset: number) => lineNumberAt(source, offset);

  let i = 0;
  const n = source.length;
  const finish = (end: number) => {
    if (start >= 0) {
      statements.push({ text: source.slice(start, end).trim(), line: lineAt(start), offset: start });
    }
    start = -1;
    parens = 0;
    atomicDepth = 0;
    words = [];
  };

  while (i < n) {
    const c = source[i]!;
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    const afterComment = skipComment(source, i);
    if (afterComment !== null) {
      i = afterComment;
      continue;
    }
    if (c === '\\' && start < 0) {
      const lineEnd = source.indexOf('\n', i);
      const command = source.slice(i, lineEnd < 0 ? n : lineEnd).trim();
      throw new SqlSplitError(
        `psql meta-command "${command}" is not supported: the files must be plain SQL (one statement after another)`,
        lineAt(i),
      );
    }
    if (start < 0) start = i;

    if (c === ';' && parens === 0 && atomicDepth === 0) {
      finish(i);
      i++;
      continue;
    }
    if (c === '(') parens++;
    else if (c === ')') parens = Math.max(0, parens - 1);

    const afterQuoted = skipQuoted(source, i);
    if (afterQuoted !== null) {
      i = afterQuoted;
      continue;
    }
    IDENT.lastIndex = i;
    const ident = IDENT.exec(source);
    if (ident) {
      const word = ident[0].toUpperCase();
      if (words.length < 6) words.push(word);
      const routine = words[0] === 'CREATE' && (words.includes('FUNCTION') || words.includes('PROCEDURE'));
      if (routine) {
        if (word === 'ATOMIC' && words.length > 0 && atomicDepth === 0) atomicDepth = 1;
        else if (atomicDepth > 0 && (word === 'BEGIN' || word === 'CASE')) atomicDepth++;
        else if (atomicDepth > 0 && word === 'END') atomicDepth--;
      }
      i += ident[0].length;
      continue;
    }
    i++;
  }
  finish(n);
  return statements.filter((s) => s.text.length > 0);
}
