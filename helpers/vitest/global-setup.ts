import fs from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabase, databaseUrl, dropDatabase, uniqueDatabaseName } from '../db/databases.js';
import {
  CONNECTIONS_NEEDED,
  describeServer,
  type ProvisionedServer,
  provisionServer,
  type ServerFacts,
} from '../server/provision.js';
import { applySqlFolder } from '../sql/load.js';
import type { SuiteContext } from './provided.js';
import { serverUnavailableMessage } from './server-unavailable.js';

/**
 * Without a server there is nothing to certify: one message with the next step, then exit 1,
 * before vitest adds "No test files found" and a stack trace that would bury it.
 */
function exitServerUnavailable(error: unknown, nextStep?: string): never {
  process.stderr.write(`\n${serverUnavailableMessage(error, nextStep)}\n\n`);
  process.exit(1);
}

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
  const live = await provisionServer({ durability: 'fast' }).catch((error: unknown) => exitServerUnavailable(error));
  server = live;
  const facts = await describeServer(live).catch(async (error: unknown) => {
    await live.stop();
    return exitServerUnavailable(error);
  });
  console.log(`[arcane] PostgreSQL ${facts.version} (${live.kind}, ${live.where}); SQL under test: ${sqlDir}`);
  if (facts.maxConnections < CONNECTIONS_NEEDED) {
    console.warn(
      `[arcane] warning: max_connections is ${facts.maxConnections}; the checkout race specs need about ${CONNECTIONS_NEEDED} (ALTER SYSTEM SET max_connections = 200 and restart)`,
    );
  }
  if (!facts.isSuperuser) {
    // Otherwise the SQL's CREATE ROLE, the spec databases and pgstattuple fail, and read as the student's fault.
    await live.stop();
    exitServerUnavailable(
      new Error(
        `the role in DATABASE_URL (${live.where}) is not a superuser; the certification creates databases, the role arcane_app and the pgstattuple extension`,
      ),
      'connect as a superuser (e.g. postgres://postgres:…@host:5432/postgres), or unset DATABASE_URL to use the embedded PostgreSQL',
    );
  }

  await buildTemplate(project, live, facts, sqlDir);
  project.onTestsRerun(() => buildTemplate(project, live, facts, sqlDir));
}

export async function teardown(): Promise<void> {
  if (server && template) await dropDatabase(server.adminUrl, template).catch(() => undefined);
  await server?.stop();
}
