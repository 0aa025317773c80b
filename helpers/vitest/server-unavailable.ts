/**
 * When the run cannot get a usable PostgreSQL server, the grader reads one message that says what
 * to check next, and no stack trace: the student's SQL was never involved.
 */
interface PgLikeError {
  message?: string;
  code?: string;
}

/** The next step for a server that could not be reached or used. */
export function serverNextStep(error: PgLikeError, usingDatabaseUrl: boolean): string {
  const text = `${error.code ?? ''} ${error.message ?? ''}`;
  if (/ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH/.test(text))
    return usingDatabaseUrl
      ? 'is the server running, and listening on the host and port DATABASE_URL names? (pg_lsclusters / pg_ctlcluster 15 main start)'
      : 'the embedded server did not answer; read the server log above, or set DATABASE_URL to a running server';
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return 'the host name in DATABASE_URL does not resolve: check it';
  if (/28P01|password authentication failed|SASL|28000/.test(text))
    return 'the user or password in DATABASE_URL is refused: check them (ALTER USER … PASSWORD …), and pg_hba.conf';
  if (/3D000|does not exist/.test(text))
    return 'the database named in DATABASE_URL does not exist: point it at an existing one, e.g. /postgres';
  if (/too old/.test(text)) return 'use PostgreSQL 15 or newer';
  return usingDatabaseUrl
    ? 'check DATABASE_URL (postgres://user:password@host:port/postgres), or unset it to use the embedded PostgreSQL'
    : 'set DATABASE_URL to an existing PostgreSQL 15+ server';
}

/** One readable message for a server problem: what failed and what to check next. */
export function serverUnavailableMessage(error: unknown, nextStep?: string): string {
  const e = (error ?? {}) as PgLikeError;
  return [
    `[arcane] No usable PostgreSQL server, so nothing was certified (the SQL under test is not at fault).`,
    `  ${e.message ?? String(error)}`,
    `  next: ${nextStep ?? serverNextStep(e, Boolean(process.env.DATABASE_URL))}`,
  ].join('\n');
}
