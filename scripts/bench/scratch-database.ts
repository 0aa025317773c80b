/**
 * The dev aids' workbench: a durable server of their own (the specs' server choice), one fresh
 * database with sql/ applied, and a connected client; everything is gone when `work` returns.
 */
import path from 'node:path';
import pg from 'pg';
import { createDatabase, databaseUrl, uniqueDatabaseName } from '../../helpers/db/databases.js';
import { type ProvisionedServer, provisionServer } from '../../helpers/server/provision.js';
import { applySqlFolder, formatLoadFailure } from '../../helpers/sql/load.js';

export async function withScratchDatabase<T>(
  work: (db: pg.Client, url: string, server: ProvisionedServer) => Promise<T>,
  options: { name?: string; onServer?: (server: ProvisionedServer) => void } = {},
): Promise<T> {
  const server = await provisionServer({ durability: 'durable' });
  options.onServer?.(server); // e.g. for a Ctrl-C handler that stops it
  try {
    const name = uniqueDatabaseName(options.name ?? 'arcane_profile');
    await createDatabase(server.adminUrl, name);
    const url = databaseUrl(server.adminUrl, name);
    const applied = await applySqlFolder(url, path.resolve(process.env.SQL_DIR ?? 'sql'));
    if (applied.failure) throw new Error(formatLoadFailure(applied.failure));
    const db = new pg.Client({ connectionString: url });
    db.on('error', () => undefined);
    await db.connect();
    try {
      return await work(db, url, server);
    } finally {
      await db.end().catch(() => undefined);
    }
  } finally {
    await server.stop();
  }
}
