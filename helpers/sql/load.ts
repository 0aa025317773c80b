import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { sanitizeText } from '../safety/sanitize.js';
import { type RefusedEntry, readSubmissionFileSync, SubmissionFileError } from '../safety/submission-files.js';
import { SqlSplitError, type SqlStatement, splitSql } from './split.js';

/** A statement (or file) of the solution that did not apply: enough to open the file at the line. */
export interface SqlLoadFailure {
  file: string;
  line: number;
  message: string;
  sqlstate?: string;
  detail?: string;
  hint?: string;
  where?: string;
  statement?: string;
}

export interface SqlLoadResult {
  files: string[];
  /** Statements that applied. */
  statements: number;
  /** Every statement or file that did not apply, in order (psql goes on after an error; so does the loader). */
  failures: SqlLoadFailure[];
  /** The first failure, for callers that stop at one (the lab). */
  failure?: SqlLoadFailure;
  /** Statements the harness skipped on purpose (role creation is the harness's job), said once each. */
  notes: string[];
  /** A statement ran past the time bound; the rest of the folder was not applied. */
  timedOut: boolean;
}

export interface LoadOptions {
  /** Per statement; the server's statement_timeout plus a watchdog that ends the session if it is disabled. */
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  /** A connection allowed to end the loader's session when a statement outlives the bound. */
  adminUrl?: string;
  /** Entries of the folder the harness refuses to read (see submission-files.ts); reported as failures. */
  refused?: RefusedEntry[];
}

const DEFAULT_OPTIONS: LoadOptions = { statementTimeoutMs: 60_000, lockTimeoutMs: 30_000 };

/** The folder's *.sql files in lexical order (the order psql -f a -f b … would be given); links and pipes excluded. */
export async function sqlFilesIn(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.sql'))
    .map((e) => path.join(folder, e.name))
    .sort((a, b) => (path.basename(a) < path.basename(b) ? -1 : path.basename(a) > path.basename(b) ? 1 : 0));
}

/** Relative to the working directory when inside it, absolute otherwise. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') ? relative : file;
}

function lineOfPosition(text: string, position: number): number {
  let line = 0;
  for (let i = 0; i < Math.min(position - 1, text.length); i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const clean = (text: string | undefined, max = 1000) => (text === undefined ? undefined : sanitizeText(text, max));

function failureOf(file: string, statement: SqlStatement, error: pg.DatabaseError): SqlLoadFailure {
  const position = error.position ? Number(error.position) : undefined;
  return {
    file,
    line: statement.line + (position ? lineOfPosition(statement.text, position) : 0),
    message: clean(error.message) ?? 'unknown error',
    sqlstate: error.code,
    detail: clean(error.detail),
    hint: clean(error.hint),
    where: clean(error.where?.split('\n')[0]),
    statement: clean(statement.text.split('\n').slice(0, 3).join('\n'), 300),
  };
}

/** PostgreSQL refuses CREATE ROLE to the submission's role; the harness has created the contract's roles. */
const isRoleCreationRefusal = (error: pg.DatabaseError) =>
  error.code === '42501' && /permission denied to create role/.test(error.message);

/**
 * Applies the files statement by statement in autocommit mode on one session, as `psql -f a -f b`
 * does: a failing statement is recorded (file, line, message, SQLSTATE) and the next one runs.
 * Each statement is bounded by statement_timeout and lock_timeout; if the submission disables
 * them, a watchdog ends the session at the bound plus a grace period and the load stops there.
 */
export async function applySqlFolder(
  connectionString: string,
  folder: string,
  options: LoadOptions = DEFAULT_OPTIONS,
): Promise<SqlLoadResult> {
  const files = await sqlFilesIn(folder);
  const result: SqlLoadResult = { files, statements: 0, failures: [], notes: [], timedOut: false };
  for (const entry of options.refused ?? [])
    result.failures.push({ file: displayPath(path.join(folder, entry.path)), line: 0, message: sanitizeText(entry.reason) });
  const refusedPaths = new Set((options.refused ?? []).map((e) => path.join(folder, e.path)));
  const client = new pg.Client({
    connectionString,
    options: `-c statement_timeout=${options.statementTimeoutMs} -c lock_timeout=${options.lockTimeoutMs} -c idle_in_transaction_session_timeout=${options.statementTimeoutMs}`,
  });
  client.on('error', () => undefined); // a session ended by the watchdog must not crash the run
  await client.connect();
  const pid = (await client.query<{ pid: number }>('SELECT pg_catalog.pg_backend_pid() AS pid')).rows[0]!.pid;
  try {
    await client.query('SET client_min_messages = warning');
    for (const file of files) {
      if (refusedPaths.has(file)) continue;
      const relative = displayPath(file);
      let parsed: SqlStatement[];
      try {
        parsed = splitSql(readSubmissionFileSync(folder, file));
      } catch (error) {
        if (error instanceof SqlSplitError || error instanceof SubmissionFileError) {
          const line = error instanceof SqlSplitError ? error.line : 0;
          result.failures.push({ file: relative, line, message: sanitizeText(error.message, 1000) });
          continue;
        }
        throw error;
      }
      for (const statement of parsed) {
        const outcome = await runBounded(client, statement.text, pid, options);
        if (outcome === 'ok') {
          result.statements++;
        } else if (outcome === 'timed out') {
          result.timedOut = true;
          result.failures.push({
            file: relative,
            line: statement.line,
            message: `the statement ran longer than ${options.statementTimeoutMs / 1000} s (its session was ended; the rest of the folder was not applied)`,
            statement: clean(statement.text.split('\n').slice(0, 3).join('\n'), 300),
          });
          return result;
        } else if (isRoleCreationRefusal(outcome)) {
          result.notes.push(
            `${relative}:${statement.line}: skipped — roles are created by the harness (arcane_app exists), not by the solution's SQL`,
          );
        } else {
          result.failures.push(failureOf(relative, statement, outcome));
        }
      }
    }
    await client.query('ROLLBACK').catch(() => undefined); // psql ends an unfinished transaction the same way
    return result;
  } finally {
    result.failure = result.failures[0];
    await client.end().catch(() => undefined);
  }
}

async function runBounded(
  client: pg.Client,
  sql: string,
  pid: number,
  options: LoadOptions,
): Promise<'ok' | 'timed out' | pg.DatabaseError> {
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  if (options.adminUrl) {
    const adminUrl = options.adminUrl;
    timer = setTimeout(() => {
      ended = true;
      const admin = new pg.Client({ connectionString: adminUrl });
      admin
        .connect()
        .then(() => admin.query('SELECT pg_catalog.pg_terminate_backend($1)', [pid]))
        .catch(() => undefined)
        .finally(() => void admin.end().catch(() => undefined));
    }, options.statementTimeoutMs + 5_000);
  }
  try {
    await client.query(sql);
    return 'ok';
  } catch (error) {
    const e = error as pg.DatabaseError;
    if (ended || e.code === '57014' || e.code === '57P01') return 'timed out';
    if (typeof e.code !== 'string') throw error;
    return e;
  } finally {
    clearTimeout(timer);
  }
}

export function formatLoadFailure(failure: SqlLoadFailure): string {
  const lines = [
    `${failure.file}${failure.line ? `:${failure.line}` : ''}: ${failure.message}${failure.sqlstate ? ` (SQLSTATE ${failure.sqlstate})` : ''}`,
  ];
  if (failure.detail) lines.push(`  detail: ${failure.detail}`);
  if (failure.hint) lines.push(`  hint: ${failure.hint}`);
  if (failure.where) lines.push(`  where: ${failure.where}`);
  if (failure.statement) lines.push(`  statement: ${failure.statement.replace(/\n/g, '\n             ')}`);
  return lines.join('\n');
}

/** Every failure once, capped so a folder of a thousand broken statements still reads. */
export function formatLoadFailures(failures: SqlLoadFailure[], max = 20): string {
  const shown = failures.slice(0, max).map(formatLoadFailure);
  if (failures.length > max) shown.push(`… and ${failures.length - max} more failing statements`);
  return shown.join('\n');
}
