import fs from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabase, databaseUrl, dropDatabase, uniqueDatabaseName } from '../db/databases.js';
import { requestedMajor } from '../server/pg-major.js';
import {
  CONNECTIONS_NEEDED,
  describeServer,
  type ProvisionedServer,
  provisionServer,
  type ServerFacts,
} from '../server/provision.js';
import { applySqlFolder } from '../sql/load.js';
import type { SuiteContext } from './provided.js';

let server: ProvisionedServer | undefined;
let template: string | undefined;

/** Applies the SQL under test into a fresh template database and hands it to the workers. */
async function buildTemplate(project: TestProject, live: ProvisionedServer, facts: ServerFacts, sqlDir: string): Promise<void> {
  if (template) await dropDatabase(live.adminUrl, template);
  template = uniqueDatabaseName('arcane_template');
  await createDatabase(live.adminUrl, template);
  const load = await applySqlFolder(databaseUrl(live.adminUrl, template), sqlDir);
  if (load.files.length === 0)
    console.warn(`[arcane] ${sqlDir} holds no .sql files: every check will fail, naming what is missing`);
  const context: SuiteContext = {
    adminUrl: live.adminUrl,
    templateDatabase: template,
    sqlDir,
    sqlFiles: load.files.map((f) => path.relative(process.cwd(), f)),
    sqlLoadFailure: load.failure ?? null,
    serverKind: live.kind,
    serverVersion: facts.version,
    serverVersionNum: facts.versionNum,
  };
  project.provide('suite', context);
}

/** Starts (or finds) the server once per run; in watch mode every rerun re-applies the SQL. */
export async function setup(project: TestProject): Promise<void> {
  const sqlDir = path.resolve(process.env.SQL_DIR ?? 'sql');
  const stat = await fs.stat(sqlDir).catch(() => undefined);
  if (!stat?.isDirectory()) {
    // A mistyped path is the grader's error, not an empty solution: no certificate at all.
    throw new Error(
      `SQL_DIR ${sqlDir} ${stat ? 'is not a folder' : 'does not exist'}: point SQL_DIR (or certify's argument) at the solution's folder of .sql files`,
    );
  }
  const live = await provisionServer({ durability: 'fast' });
  server = live;
  const facts = await describeServer(live).catch(async (error: unknown) => {
    await live.stop();
    throw error;
  });
  const major = requestedMajor();
  if (major !== undefined && Math.floor(facts.versionNum / 10000) !== major) {
    await live.stop();
    throw new Error(
      `PostgreSQL ${major} was asked for (--pg / ARCANE_PG_MAJOR) but the ${live.kind} server runs ${facts.version}`,
    );
  }
  console.log(`[arcane] PostgreSQL ${facts.version} (${live.kind}, ${live.where}); SQL under test: ${sqlDir}`);
  if (facts.maxConnections < CONNECTIONS_NEEDED) {
    console.warn(
      `[arcane] warning: max_connections is ${facts.maxConnections}; the checkout race specs need ${CONNECTIONS_NEEDED} (ALTER SYSTEM SET max_connections = 400 and restart)`,
    );
  }
  if (!facts.isSuperuser)
    console.warn('[arcane] warning: not a superuser; CREATE EXTENSION pgstattuple (index physics) may be refused');

  await buildTemplate(project, live, facts, sqlDir);
  project.onTestsRerun(() => buildTemplate(project, live, facts, sqlDir));
}

export async function teardown(): Promise<void> {
  if (server && template) await dropDatabase(server.adminUrl, template).catch(() => undefined);
  await server?.stop();
}
