/**
 * Servers for the mutant runs: one embedded PostgreSQL per lane (mutants running at once), reused
 * by the lane's mutants one after another instead of an initdb per mutant. Between two mutants
 * the lane's server is reset: every database but the maintenance ones dropped, and the
 * cluster-wide role arcane_app dropped, so a mutant never inherits the previous one's role.
 */
import pg from 'pg';
import { embeddedServer } from '../../helpers/server/embedded.js';
import type { ProvisionedServer } from '../../helpers/server/types.js';

export interface Lane {
  url: string;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

async function resetServer(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname NOT IN ('postgres', 'template0', 'template1')`,
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE ${client.escapeIdentifier(datname)} WITH (FORCE)`);
    await client.query('DROP ROLE IF EXISTS arcane_app');
  } finally {
    await client.end();
  }
}

export async function openLanes(count: number): Promise<Lane[]> {
  const servers: ProvisionedServer[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await embeddedServer({ durability: 'fast' }));
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
    throw error;
  }
  return servers.map((server) => ({
    url: server.adminUrl,
    reset: () => resetServer(server.adminUrl),
    stop: () => server.stop(),
  }));
}
