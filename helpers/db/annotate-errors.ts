import type pg from 'pg';
import { sanitizeText } from '../safety/sanitize.js';

/**
 * A database error raised inside a spec reads like PostgreSQL's own report plus the statement
 * that caused it, with no stack trace into pg's internals. The error object keeps its class and
 * fields (code, detail, hint …), so specs that check SQLSTATEs are unaffected.
 */
export function annotate(error: unknown, sql: unknown): unknown {
  const e = error as pg.DatabaseError;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || (e as { annotated?: boolean }).annotated) return error;
  const statement = typeof sql === 'string' ? sql : (sql as { text?: string } | undefined)?.text;
  const lines = [`${e.message} (SQLSTATE ${e.code})`];
  if (e.detail) lines.push(`  detail: ${e.detail}`);
  if (e.hint) lines.push(`  hint: ${e.hint}`);
  if (e.where) lines.push(`  where: ${e.where.split('\n')[0]}`);
  if (statement) lines.push(`  while running: ${statement.replace(/\s+/g, ' ').trim().slice(0, 160)}`);
  e.message = sanitizeText(lines.join('\n')); // the solution chooses what its RAISE says
  e.stack = `${e.name}: ${e.message}`;
  Object.defineProperty(e, 'annotated', { value: true });
  return e;
}

type HasQuery = { query: (...args: never[]) => unknown };

/** Wraps `target.query` so rejected queries are annotated; returns the same object. */
export function annotateQueryErrors<T extends HasQuery>(target: T): T {
  const original = target.query.bind(target) as (...args: unknown[]) => unknown;
  (target as { query: unknown }).query = (...args: unknown[]) => {
    const result = original(...args);
    if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(annotate(error, args[0])));
    return result;
  };
  return target;
}
