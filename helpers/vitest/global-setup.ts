import fs from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../db/databases.js';
import {
  createRunRoles,
  dropDatabasesOwnedBy,
  dropRunRoles,
  ensureApplicationRole,
  type RunRoles,
  roleUrl,
  terminateSessionsOf,
  withAdminClient,
} from '../db/run-roles.js';
import { registerIntegrityVerifier } from '../safety/run-integrity.js';
import { sanitizeText } from '../safety/sanitize.js';
import { compareSnapshots, type ServerSnapshot, snapshotServer } from '../safety/server-integrity.js';
import { boundsFromEnvironment, describeSettings, resetStoredSettings, storedSettings } from '../safety/session-settings.js';
import { refusedEntries } from '../safety/submission-files.js';
import { requestedMajor } from '../server/pg-major.js';
import {
  CONNECTIONS_NEEDED,
  describeServer,
  type ProvisionedServer,
  provisionServer,
  type ServerFacts,
} from '../server/provision.js';
import { applySqlFolder, formatLoadFailures } from '../sql/load.js';
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
let roles: RunRoles | undefined;
let template: string | undefined;
let baseline: ServerSnapshot | undefined;

/**
 * Applies the solution's SQL as the run's unprivileged role into a fresh template database it owns,
 * then removes any role or database default the SQL stored, and hands the template to the workers.
 */
async function buildTemplate(project: TestProject, live: ProvisionedServer, facts: ServerFacts, sqlDir: string): Promise<void> {
  const runRoles = roles!;
  if (template) await dropDatabase(live.adminUrl, template);
  template = uniqueDatabaseName();
  await createDatabase(live.adminUrl, template, 'template0', runRoles.submission.name);
  const bounds = boundsFromEnvironment();
  const load = await applySqlFolder(roleUrl(live.adminUrl, runRoles.submission, template), sqlDir, {
    ...bounds,
    adminUrl: live.adminUrl,
    refused: refusedEntries(sqlDir),
  });
  const notes = [...load.notes];
  await withAdminClient(live.adminUrl, async (admin) => {
    // Nothing the solution started may outlive its load (cloning also needs the template idle).
    await terminateSessionsOf(admin, [runRoles.submission.name, runRoles.checker.name]);
    const stored = await storedSettings(admin, [runRoles.submission.name, runRoles.checker.name], [template!]);
    if (stored.length > 0) {
      notes.push(`removed defaults the SQL stored (the checks use their own session settings): ${describeSettings(stored)}`);
      await resetStoredSettings(admin, stored);
    }
  });
  if (load.files.length === 0)
    console.warn(`[arcane] ${sqlDir} holds no .sql files: every check will fail, naming what is missing`);
  for (const note of notes) console.warn(`[arcane] ${sanitizeText(note)}`);
  if (load.failures.length > 0)
    console.warn(
      `[arcane] ${load.failures.length} statement(s) of the SQL did not apply; the rest did (as with psql):\n${formatLoadFailures(load.failures)}`,
    );
  const context: SuiteContext = {
    adminUrl: live.adminUrl,
    roles: runRoles,
    bounds,
    templateDatabase: template,
    sqlDir,
    sqlFiles: load.files.map((f) => path.relative(process.cwd(), f)),
    sqlLoadFailures: load.failures,
    sqlLoadTimedOut: load.timedOut,
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
  const major = requestedMajor();
  if (major !== undefined && Math.floor(facts.versionNum / 10000) !== major) {
    await live.stop();
    return exitServerUnavailable(
      new Error(`PostgreSQL ${major} was asked for (--pg / ARCANE_PG_MAJOR) but the ${live.kind} server runs ${facts.version}`),
      `run without --pg, or point DATABASE_URL at a PostgreSQL ${major} server`,
    );
  }
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
        `the role in DATABASE_URL (${live.where}) is not a superuser; the harness creates the run's unprivileged roles, databases, the role arcane_app and the pgstattuple extension (the solution itself never runs as a superuser)`,
      ),
      'connect as a superuser (e.g. postgres://postgres:…@host:5432/postgres), or unset DATABASE_URL to use the embedded PostgreSQL',
    );
  }
  await withAdminClient(live.adminUrl, ensureApplicationRole);
  baseline = await snapshotServer(live.adminUrl);
  roles = await createRunRoles(live.adminUrl);
  if (process.env.ARCANE_RUN_RECORD) {
    // certify reads it if it has to stop the run: the run's objects on a shared server are then its to remove.
    const names = { submission: roles.submission.name, checker: roles.checker.name };
    await fs.writeFile(process.env.ARCANE_RUN_RECORD, JSON.stringify(names), { mode: 0o600 });
  }
  registerIntegrityVerifier(async () => {
    const problems: string[] = [];
    const after = await snapshotServer(live.adminUrl);
    for (const change of compareSnapshots(baseline!, after)) problems.push(`the server changed outside the run: ${change}`);
    const stored = await withAdminClient(live.adminUrl, (admin) =>
      storedSettings(admin, [roles!.submission.name, roles!.checker.name], []),
    );
    if (stored.length > 0) problems.push(`the solution stored session defaults during the checks: ${describeSettings(stored)}`);
    return problems.map((p) => sanitizeText(p, 1000));
  });

  await buildTemplate(project, live, facts, sqlDir);
  project.onTestsRerun(() => buildTemplate(project, live, facts, sqlDir));
}

export async function teardown(): Promise<void> {
  const problems: string[] = [];
  if (server && roles) {
    await dropDatabasesOwnedBy(server.adminUrl, roles.submission.name).catch((e: Error) => problems.push(e.message));
    await dropRunRoles(server.adminUrl, roles).catch((e: Error) => problems.push(`dropping the run's roles: ${e.message}`));
    if (baseline) {
      const after = await snapshotServer(server.adminUrl).catch(() => undefined);
      if (after) for (const change of compareSnapshots(baseline, after)) problems.push(change);
    }
  }
  await server?.stop();
  if (problems.length > 0) {
    throw new Error(
      `[arcane] the server is not as the run found it:\n${problems.map((p) => `  - ${sanitizeText(p, 1000)}`).join('\n')}`,
    );
  }
}
