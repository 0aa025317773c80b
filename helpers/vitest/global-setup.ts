import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabase, databaseUrl, dropDatabase, uniqueDatabaseName } from '../db/databases.js';
import { CONNECTIONS_NEEDED, describeServer, provisionServer, type ProvisionedServer } from '../server/provision.js';
import { applySqlFolder } from '../sql/load.js';
import type { SuiteContext } from './provided.js';

let server: ProvisionedServer | undefined;
let template: string | undefined;

/** Starts (or finds) the server once per run, applies the SQL under test into a template database. */
export async function setup(project: TestProject): Promise<void> {
  const sqlDir = path.resolve(process.env.SQL_DIR ?? 'sql');
  server = await provisionServer({ durability: 'fast' });
  const facts = await describeServer(server).catch(async (error: unknown) => {
    await server?.stop();
    throw error;
  });
  console.log(`[arcane] PostgreSQL ${facts.version} (${server.kind}, ${server.where}); SQL under test: ${sqlDir}`);
  if (facts.maxConnections < CONNECTIONS_NEEDED) {
    console.warn(`[arcane] warning: max_connections is ${facts.maxConnections}; the checkout race specs need ${CONNECTIONS_NEEDED} (ALTER SYSTEM SET max_connections = 400 and restart)`);
  }
  if (!facts.isSuperuser) console.warn('[arcane] warning: not a superuser; CREATE EXTENSION pgstattuple (index physics) may be refused');

  template = uniqueDatabaseName('arcane_template');
  await createDatabase(server.adminUrl, template);
  const load = await applySqlFolder(databaseUrl(server.adminUrl, template), sqlDir);
  if (load.files.length === 0) console.warn(`[arcane] ${sqlDir} holds no .sql files: every check will fail, naming what is missing`);
  const context: SuiteContext = {
    adminUrl: server.adminUrl,
    templateDatabase: template,
    sqlDir,
    sqlFiles: load.files.map((f) => path.relative(process.cwd(), f)),
    sqlLoadFailure: load.failure ?? null,
    serverKind: server.kind,
    serverVersion: facts.version,
    serverVersionNum: facts.versionNum,
  };
  project.provide('suite', context);
}

export async function teardown(): Promise<void> {
  if (server && template) await dropDatabase(server.adminUrl, template).catch(() => undefined);
  await server?.stop();
}
