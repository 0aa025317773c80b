import type pg from 'pg';

/** Bounds of every statement a check sends (and of student code the checks call). */
export interface CheckBounds {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive whole number of milliseconds, not ${raw}`);
  return value;
}

/** Per-statement bounds: ARCANE_STATEMENT_TIMEOUT_MS (default 60 s) and ARCANE_LOCK_TIMEOUT_MS (default 30 s). */
export function boundsFromEnvironment(): CheckBounds {
  return {
    statementTimeoutMs: positiveInteger('ARCANE_STATEMENT_TIMEOUT_MS', 60_000),
    lockTimeoutMs: positiveInteger('ARCANE_LOCK_TIMEOUT_MS', 30_000),
  };
}

/**
 * Startup options of every checker session. Client options outrank role and database defaults,
 * so whatever `ALTER ROLE/DATABASE … SET` a submission managed, these hold: pg_catalog is searched
 * first (a function named like a catalog function cannot shadow it) and pg_temp last (a temp
 * table cannot stand in for a real one); times are UTC; statements and lock waits are bounded.
 */
export function checkerSessionOptions(bounds: CheckBounds): string {
  return [
    'search_path=pg_catalog,public,pg_temp',
    'TimeZone=UTC',
    'DateStyle=ISO,MDY',
    'IntervalStyle=postgres',
    `statement_timeout=${bounds.statementTimeoutMs}`,
    `lock_timeout=${bounds.lockTimeoutMs}`,
    `idle_in_transaction_session_timeout=${Math.max(bounds.statementTimeoutMs, 120_000)}`,
    'default_transaction_isolation=read\\ committed',
    'default_transaction_read_only=off',
  ]
    .map((s) => `-c ${s}`)
    .join(' ');
}

/**
 * Settings the checker's startup options pin, and the role. Solution code a check calls (a
 * trigger, a column default) could change them for the rest of its session with
 * `set_config(…, false)` or `SET`, so that a later check on the same pooled session runs with the
 * submission's search_path (a shadow of a catalog function first): none may differ after a check.
 */
const PINNED_SESSION_SETTINGS = [
  'search_path',
  'TimeZone',
  'DateStyle',
  'IntervalStyle',
  'default_transaction_isolation',
  'default_transaction_read_only',
  'role',
] as const;

export type SessionSettings = Record<(typeof PINNED_SESSION_SETTINGS)[number], string>;

/** The session's pinned settings, read with schema-qualified calls (no search_path can steer them). */
export async function readSessionSettings(client: Pick<pg.ClientBase, 'query'>): Promise<SessionSettings> {
  const columns = PINNED_SESSION_SETTINGS.map((name, i) => `pg_catalog.current_setting('${name}') AS s${i}`).join(', ');
  const { rows } = await client.query<Record<string, string>>(`SELECT ${columns}`);
  return Object.fromEntries(PINNED_SESSION_SETTINGS.map((name, i) => [name, String(rows[0]![`s${i}`])])) as SessionSettings;
}

/** Each pinned setting whose value differs from a fresh checker session's, as `name = value`. */
export function settingsDrift(fresh: SessionSettings, now: SessionSettings): string[] {
  return PINNED_SESSION_SETTINGS.filter((name) => fresh[name] !== now[name]).map(
    (name) => `${name} = ${JSON.stringify(now[name])} (pinned: ${JSON.stringify(fresh[name])})`,
  );
}

/** A role or database default (`ALTER ROLE/DATABASE … SET`) that would reach a session of the run. */
export interface StoredSetting {
  role: string | null;
  database: string | null;
  settings: string[];
}

/** Defaults stored for the given roles or databases: none may exist while the checks run. */
export async function storedSettings(
  client: Pick<pg.ClientBase, 'query'>,
  roles: string[],
  databases: string[],
): Promise<StoredSetting[]> {
  const { rows } = await client.query<StoredSetting>(
    `SELECT r.rolname AS role, d.datname AS database, s.setconfig AS settings
       FROM pg_catalog.pg_db_role_setting s
       LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
       LEFT JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase
      WHERE r.rolname = ANY($1::text[]) OR d.datname = ANY($2::text[])
      ORDER BY 1, 2`,
    [roles, databases],
  );
  return rows;
}

export function describeSettings(found: StoredSetting[]): string {
  return found
    .map(
      (s) =>
        `${s.role ? `ALTER ROLE ${s.role}` : s.database ? `ALTER DATABASE ${s.database}` : 'ALTER ROLE ALL'}${s.role && s.database ? ` IN DATABASE ${s.database}` : ''} SET ${s.settings.join(', ')}`,
    )
    .join('; ');
}

/** Removes the stored defaults (admin connection): they must not reach the checks. */
export async function resetStoredSettings(admin: pg.Client, found: StoredSetting[]): Promise<void> {
  for (const s of found) {
    const role = s.role ? admin.escapeIdentifier(s.role) : 'ALL';
    if (s.database && !s.role) await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(s.database)} RESET ALL`);
    else if (s.database) await admin.query(`ALTER ROLE ${role} IN DATABASE ${admin.escapeIdentifier(s.database)} RESET ALL`);
    else await admin.query(`ALTER ROLE ${role} RESET ALL`);
  }
}
