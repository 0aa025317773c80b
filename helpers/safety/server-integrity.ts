import { RUN_ROLE_PATTERN, withAdminClient } from '../db/run-roles.js';

/** Databases of runs (this one's and concurrent ones' on a shared server) are named like this. */
const RUN_DATABASE_PATTERN = /^arcane_([a-z]+_)?[0-9a-f]{12}$/;

/**
 * What a run must leave as it found it on the server, outside its own databases and roles:
 * ALTER SYSTEM settings, roles (attributes, passwords, memberships), role and database defaults,
 * the other databases' properties, and the contents of template1.
 */
export type ServerSnapshot = Record<string, string>;

const SECTIONS: Record<string, string> = {
  'ALTER SYSTEM settings': `SELECT name || ' = ' || coalesce(setting, '') AS item FROM pg_catalog.pg_file_settings
                             WHERE sourcefile LIKE '%postgresql.auto.conf'`,
  roles: `SELECT rolname || ' ' || concat_ws(' ', rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,
                 rolreplication, rolbypassrls, rolconnlimit, rolvaliduntil, pg_catalog.md5(coalesce(rolpassword, ''))) AS item
            FROM pg_catalog.pg_authid`,
  'role memberships': `SELECT r.rolname || ' in ' || g.rolname || ' admin=' || m.admin_option AS item
                         FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles r ON r.oid = m.member
                         JOIN pg_catalog.pg_roles g ON g.oid = m.roleid`,
  'role and database defaults': `SELECT coalesce(r.rolname, 'ALL') || '@' || coalesce(d.datname, 'ALL') || ': ' ||
                                        array_to_string(s.setconfig, ', ') AS item
                                   FROM pg_catalog.pg_db_role_setting s
                                   LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
                                   LEFT JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase`,
  databases: `SELECT d.datname || ' owner=' || pg_catalog.pg_get_userbyid(d.datdba) || ' ' ||
                     concat_ws(' ', d.datistemplate, d.datallowconn, d.datconnlimit, d.datacl::text) AS item
                FROM pg_catalog.pg_database d`,
};

/** Everything a solution could add to or change in template1 that a later CREATE DATABASE would copy. */
const TEMPLATE1_DIGEST = `
  SELECT pg_catalog.md5(pg_catalog.string_agg(item, E'\\n' ORDER BY item)) AS digest FROM (
    SELECT 'rel ' || c.oid || ' ' || c.relname || ' ' || c.relnamespace || ' ' || c.relkind::text || ' ' || coalesce(c.relacl::text, '') AS item
      FROM pg_catalog.pg_class c
    UNION ALL SELECT 'proc ' || p.oid || ' ' || p.proname || ' ' || pg_catalog.md5(coalesce(p.prosrc, '')) || ' ' ||
                     coalesce(p.proacl::text, '') || ' ' || coalesce(p.proconfig::text, '') FROM pg_catalog.pg_proc p
    UNION ALL SELECT 'nsp ' || n.oid || ' ' || n.nspname || ' ' || n.nspowner || ' ' || coalesce(n.nspacl::text, '') FROM pg_catalog.pg_namespace n
    UNION ALL SELECT 'ext ' || e.extname || ' ' || e.extversion FROM pg_catalog.pg_extension e
    UNION ALL SELECT 'trg ' || t.oid || ' ' || t.tgname FROM pg_catalog.pg_trigger t
    UNION ALL SELECT 'evt ' || v.evtname || ' ' || v.evtenabled::text FROM pg_catalog.pg_event_trigger v
    UNION ALL SELECT 'acl ' || a.oid || ' ' || a.defaclacl::text FROM pg_catalog.pg_default_acl a
    UNION ALL SELECT 'op ' || o.oid || ' ' || o.oprname FROM pg_catalog.pg_operator o
    UNION ALL SELECT 'type ' || t.oid || ' ' || t.typname FROM pg_catalog.pg_type t
  ) AS items`;

const isRunItem = (item: string) =>
  item.split(/[\s@:]+/).some((word) => RUN_ROLE_PATTERN.test(word) || RUN_DATABASE_PATTERN.test(word));

/** Reads the snapshot over an admin (superuser) connection; the run's own roles and databases are left out. */
export async function snapshotServer(adminUrl: string): Promise<ServerSnapshot> {
  const snapshot: ServerSnapshot = {};
  await withAdminClient(adminUrl, async (client) => {
    for (const [section, sql] of Object.entries(SECTIONS)) {
      const { rows } = await client.query<{ item: string }>(sql);
      snapshot[section] = rows
        .map((r) => r.item)
        .filter((item) => !isRunItem(item))
        .sort()
        .join('\n');
    }
  });
  snapshot.template1 = await withAdminClient(
    adminUrl,
    async (client) => (await client.query<{ digest: string }>(TEMPLATE1_DIGEST)).rows[0]!.digest,
    'template1',
  ).catch((error: Error) => `unreadable: ${error.message}`);
  return snapshot;
}

/** What differs, one line per section and item, naming what was added or removed. */
export function compareSnapshots(before: ServerSnapshot, after: ServerSnapshot): string[] {
  const changes: string[] = [];
  for (const section of Object.keys(before)) {
    if (before[section] === after[section]) continue;
    if (section === 'template1') {
      changes.push('template1: its catalog contents changed (objects, privileges or settings added or removed)');
      continue;
    }
    const was = new Set((before[section] ?? '').split('\n').filter(Boolean));
    const now = new Set((after[section] ?? '').split('\n').filter(Boolean));
    for (const item of now) if (!was.has(item)) changes.push(`${section}: added or changed: ${item}`);
    for (const item of was) if (!now.has(item)) changes.push(`${section}: removed or changed: ${item}`);
  }
  return changes;
}
