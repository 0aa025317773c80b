import crypto from 'node:crypto';
import pg from 'pg';

/** The same server and credentials, another database. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/**
 * A fresh database name. Checked solutions get neutral names (`arcane_<random>`): the template and
 * every check's clone look alike, so a submission cannot tell a graded database from its own.
 */
export function uniqueDatabaseName(prefix = 'arcane'): string {
  return `${prefix}_${crypto.randomBytes(6).toString('hex')}`.toLowerCase();
}

async function withAdmin<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * CREATE DATABASE, cloned from `template` (template0 when none is given: template1 is the server's,
 * and whatever is in it must not reach a checked solution), optionally owned by `owner`;
 * retried while another clone holds the template.
 */
export async function createDatabase(adminUrl: string, name: string, template = 'template0', owner?: string): Promise<void> {
  await withAdmin(adminUrl, async (client) => {
    const sql = `CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(template)}${owner ? ` OWNER ${client.escapeIdentifier(owner)}` : ''}`;
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(sql);
        return;
      } catch (error) {
        // 55006: "source database is being accessed by other users" — a concurrent clone.
        if ((error as pg.DatabaseError).code !== '55006' || attempt >= 50) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  });
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
}
