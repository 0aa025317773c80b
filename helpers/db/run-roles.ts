import crypto from 'node:crypto';
import pg from 'pg';

/** The contract's application role: cluster-wide, created by the harness, granted to by the solution. */
export const APPLICATION_ROLE = 'arcane_app';

/** A login role of this run. */
export interface RunRole {
  name: string;
  password: string;
}

/**
 * The two roles of a run. `submission` applies the solution's SQL and owns the run's databases
 * and every object in them; it has no attribute beyond LOGIN (no superuser, CREATEDB, CREATEROLE,
 * no predefined role such as pg_execute_server_program). `checker` is the role of every session
 * the checks open: a member of `submission` (so it may do what the owner may) and of arcane_app
 * (so a check can SET ROLE to it), whose settings the submission cannot change.
 */
export interface RunRoles {
  submission: RunRole;
  checker: RunRole;
}

/** Names of this kind are the run's own (neutral: nothing in them says "grader"). */
export const RUN_ROLE_PATTERN = /^arcane_u[0-9a-f]{12}$/;
const newRole = (): RunRole => ({
  name: `arcane_u${crypto.randomBytes(6).toString('hex')}`,
  password: crypto.randomBytes(18).toString('base64url'),
});

export async function withAdminClient<T>(
  adminUrl: string,
  run: (client: pg.Client) => Promise<T>,
  database?: string,
): Promise<T> {
  const url = new URL(adminUrl);
  if (database) url.pathname = `/${encodeURIComponent(database)}`;
  const client = new pg.Client({
    connectionString: url.toString(),
    options: '-c search_path=pg_catalog -c statement_timeout=120000',
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates arcane_app when the server lacks it (NOLOGIN, no attributes); an existing one is left as it is. */
export async function ensureApplicationRole(client: pg.Client): Promise<void> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [APPLICATION_ROLE]);
  if (rowCount) return;
  await client
    .query(`CREATE ROLE ${APPLICATION_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`)
    .catch((error: pg.DatabaseError) => {
      if (error.code !== '42710' && error.code !== '23505') throw error; // a concurrent run created it
    });
}

export async function createRunRoles(adminUrl: string): Promise<RunRoles> {
  const roles: RunRoles = { submission: newRole(), checker: newRole() };
  await withAdminClient(adminUrl, async (client) => {
    await ensureApplicationRole(client);
    const plain = 'NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';
    const { submission: s, checker: c } = roles;
    await client.query(`CREATE ROLE ${s.name} LOGIN ${plain} PASSWORD ${client.escapeLiteral(s.password)}`);
    await client.query(`CREATE ROLE ${c.name} LOGIN INHERIT ${plain} PASSWORD ${client.escapeLiteral(c.password)}`);
    await client.query(`GRANT ${s.name} TO ${c.name}`);
    await client.query(`GRANT ${APPLICATION_ROLE} TO ${c.name}`);
  });
  return roles;
}

/** Ends the roles' sessions and drops them; their databases must be dropped first. */
export async function dropRunRoles(adminUrl: string, roles: RunRoles): Promise<void> {
  await withAdminClient(adminUrl, async (client) => {
    const names = [roles.checker.name, roles.submission.name];
    await terminateSessionsOf(client, names);
    for (const name of names) {
      // Privileges the submission granted on shared objects (none are possible today) would block the drop.
      await client.query(`DROP OWNED BY ${name}`).catch(() => undefined);
      await client.query(`DROP ROLE IF EXISTS ${name}`);
    }
  });
}

/** Terminates every session of the given roles (a session the submission left behind must not outlive its step). */
export async function terminateSessionsOf(client: pg.Client, roles: string[]): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    `SELECT count(pg_catalog.pg_terminate_backend(pid))::text AS n FROM pg_catalog.pg_stat_activity
      WHERE usename = ANY($1::text[]) AND pid <> pg_catalog.pg_backend_pid()`,
    [roles],
  );
  return Number(rows[0]!.n);
}

/** The server of `adminUrl`, logged in as `role`, in `database`. */
export function roleUrl(adminUrl: string, role: RunRole, database: string): string {
  const url = new URL(adminUrl);
  url.username = encodeURIComponent(role.name);
  url.password = encodeURIComponent(role.password);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Every database `owner` owns: the run's template and clones (a crashed worker's included). */
export async function dropDatabasesOwnedBy(adminUrl: string, owner: string): Promise<void> {
  await withAdminClient(adminUrl, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      'SELECT datname FROM pg_catalog.pg_database WHERE datdba = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = $1)',
      [owner],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(datname)} WITH (FORCE)`);
  });
}

/** The names a run writes to ARCANE_RUN_RECORD, so the command that started it can clean up if it must stop it. */
export interface RunRoleNames {
  submission: string;
  checker: string;
}

/** Removes what a stopped run left on a server: its sessions, its databases, its roles. */
export async function cleanUpStoppedRun(adminUrl: string, names: RunRoleNames): Promise<void> {
  if (!RUN_ROLE_PATTERN.test(names.submission) || !RUN_ROLE_PATTERN.test(names.checker)) return;
  await withAdminClient(adminUrl, (admin) => terminateSessionsOf(admin, [names.submission, names.checker]));
  await dropDatabasesOwnedBy(adminUrl, names.submission);
  const password = '';
  await dropRunRoles(adminUrl, {
    submission: { name: names.submission, password },
    checker: { name: names.checker, password },
  });
}
