import pg from 'pg';
import { dockerEngineAnswers, dockerServer } from './docker.js';
import { embeddedServer } from './embedded.js';
import { externalServer } from './external.js';
import type { ProvisionedServer, ProvisionOptions } from './types.js';

export type { ProvisionedServer } from './types.js';

/** DATABASE_URL if set, else Docker when an engine answers, else embedded PostgreSQL 18. */
export async function provisionServer(options: ProvisionOptions): Promise<ProvisionedServer> {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) return externalServer(databaseUrl);
  if (process.env.ARCANE_NO_DOCKER !== '1' && (await dockerEngineAnswers())) return dockerServer(options);
  return embeddedServer(options);
}

export interface ServerFacts {
  version: string;
  versionNum: number;
  isSuperuser: boolean;
  maxConnections: number;
}

/**
 * What the suite really opens at once: the largest race spec's 60 sessions and its pool of 10,
 * beside one other spec file (two run at a time) with its sessions and pool, plus setup connections.
 */
export const CONNECTIONS_NEEDED = 120;

/** The facts the suite prints and adapts to; fails with a readable message when the server is unusable. */
export async function describeServer(server: ProvisionedServer): Promise<ServerFacts> {
  const client = new pg.Client({ connectionString: server.adminUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`Cannot connect to the ${server.kind} PostgreSQL server at ${server.where}: ${(error as Error).message}`);
  }
  try {
    const { rows } = await client.query<{ version: string; num: string; su: string; maxconn: string }>(
      `SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num,
              current_setting('is_superuser') AS su, current_setting('max_connections') AS maxconn`,
    );
    const row = rows[0]!;
    const facts = {
      version: row.version,
      versionNum: Number(row.num),
      isSuperuser: row.su === 'on',
      maxConnections: Number(row.maxconn),
    };
    if (facts.versionNum < 150000) {
      throw new Error(`PostgreSQL ${facts.version} at ${server.where} is too old: the suite needs PostgreSQL 15 or newer.`);
    }
    return facts;
  } finally {
    await client.end();
  }
}
