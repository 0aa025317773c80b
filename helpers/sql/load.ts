import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { SqlSplitError, splitSql } from './split.js';

/** Why the solution's SQL could not be applied: enough for a student to open the file at the line. */
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
  statements: number;
  failure?: SqlLoadFailure;
}

/** The folder's *.sql files in lexical order (the order psql -f a -f b … would be given). */
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

/**
 * Applies the files statement by statement in autocommit mode on one session, as psql does,
 * and stops at the first failing statement.
 */
export async function applySqlFolder(connectionString: string, folder: string): Promise<SqlLoadResult> {
  const files = await sqlFilesIn(folder);
  const client = new pg.Client({ connectionString });
  await client.connect();
  let statements = 0;
  try {
    await client.query('SET client_min_messages = warning');
    for (const file of files) {
      const relative = displayPath(file);
      const source = await fs.readFile(file, 'utf8');
      let parsed: ReturnType<typeof splitSql>;
      try {
        parsed = splitSql(source);
      } catch (error) {
        if (error instanceof SqlSplitError)
          return { files, statements, failure: { file: relative, line: error.line, message: error.message } };
        throw error;
      }
      for (const statement of parsed) {
        try {
          await client.query(statement.text);
          statements++;
        } catch (error) {
          const e = error as pg.DatabaseError;
          const position = e.position ? Number(e.position) : undefined;
          const line = statement.line + (position ? lineOfPosition(statement.text, position) : 0);
          return {
            files,
            statements,
            failure: {
              file: relative,
              line,
              message: e.message,
              sqlstate: e.code,
              detail: e.detail,
              hint: e.hint,
              where: e.where,
              statement: statement.text.split('\n').slice(0, 3).join('\n'),
            },
          };
        }
      }
    }
    return { files, statements };
  } finally {
    await client.end();
  }
}

export function formatLoadFailure(failure: SqlLoadFailure): string {
  const lines = [
    `${failure.file}:${failure.line}: ${failure.message}${failure.sqlstate ? ` (SQLSTATE ${failure.sqlstate})` : ''}`,
  ];
  if (failure.detail) lines.push(`  detail: ${failure.detail}`);
  if (failure.hint) lines.push(`  hint: ${failure.hint}`);
  if (failure.where) lines.push(`  where: ${failure.where}`);
  if (failure.statement) lines.push(`  statement: ${failure.statement.replace(/\n/g, '\n             ')}`);
  return lines.join('\n');
}
