import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Per-run folders start with these prefixes in the system temp dir. */
const RUN_PREFIX = 'arcane-run-';
const DATA_PREFIX = 'arcane-pgdata-';
const OWNER_FILE = 'owner.json';

/**
 * What a run records about its embedded server, in its private folder (0700, the runner's own),
 * so that a later run can stop it if this one is killed, after verifying the process is ours.
 */
export interface RunRecord {
  runnerPid: number;
  /** /proc start time of the runner: a reused pid is not the runner. */
  runnerStart: string;
  /** Folder holding the data directory, owned by the server's OS user. */
  serverDir: string;
  dataDir: string;
  serverUid: number;
  postgresBinary: string;
}

export interface RunDirs {
  /** The runner's private folder: mode 0700, unique, owned by the runner. Logs and the record live here. */
  privateDir: string;
  /** The server's folder: the private folder itself when the server runs as the runner, else one owned by the server user. */
  serverDir: string;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks), or undefined off Linux. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Creates the run's folders: fresh names (mkdtemp), 0700, never a pre-existing or linked path. */
export async function createRunDirs(serverUid: number, serverGid: number): Promise<RunDirs> {
  const privateDir = await fs.mkdtemp(path.join(os.tmpdir(), RUN_PREFIX));
  await fs.chmod(privateDir, 0o700);
  if (serverUid === process.getuid?.()) return { privateDir, serverDir: privateDir };
  const serverDir = await fs.mkdtemp(path.join(os.tmpdir(), DATA_PREFIX));
  await fs.chmod(serverDir, 0o700);
  await fs.chown(serverDir, serverUid, serverGid);
  return { privateDir, serverDir };
}

export async function writeRunRecord(privateDir: string, record: RunRecord): Promise<void> {
  await fs.writeFile(path.join(privateDir, OWNER_FILE), JSON.stringify(record), { mode: 0o600 });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True only when `pid` is a PostgreSQL of this record: run by the recorded OS user, executing the
 * recorded binary, for the recorded data directory. A pid read from a file the server's user can
 * write proves nothing on its own.
 */
export function isOurServerProcess(pid: number, record: RunRecord): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
    if (uid !== record.serverUid) return false;
    if (realpathSync(`/proc/${pid}/exe`) !== realpathSync(record.postgresBinary)) return false;
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const d = argv.indexOf('-D');
    return d >= 0 && argv[d + 1] === record.dataDir;
  } catch {
    return false;
  }
}

/** Processes that are PostgreSQL servers of this record (the postmaster and any backend it left). */
export function serverProcessesOf(record: RunRecord): number[] {
  const candidates = new Set<number>();
  try {
    const first = readFileSync(path.join(record.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0];
    const pid = Number.parseInt(first ?? '', 10);
    if (Number.isInteger(pid) && pid > 0) candidates.add(pid);
  } catch {
    // no pid file: the server is gone or never started
  }
  return [...candidates].filter((pid) => isOurServerProcess(pid, record));
}

export async function stopVerified(record: RunRecord): Promise<void> {
  for (const pid of serverProcessesOf(record)) {
    process.kill(pid, 'SIGQUIT'); // immediate shutdown: the data is throwaway
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid) && isOurServerProcess(pid, record)) process.kill(pid, 'SIGKILL');
  }
}

/** A folder we may delete: a real directory (not a link) owned by `uid`. */
function ownedDirectory(dir: string, uid: number): boolean {
  try {
    const stat = lstatSync(dir);
    return stat.isDirectory() && !stat.isSymbolicLink() && stat.uid === uid;
  } catch {
    return false;
  }
}

export async function removeRunDirs(record: Pick<RunRecord, 'serverDir' | 'serverUid'>, privateDir: string): Promise<void> {
  if (record.serverDir !== privateDir && ownedDirectory(record.serverDir, record.serverUid))
    await fs.rm(record.serverDir, { recursive: true, force: true });
  await fs.rm(privateDir, { recursive: true, force: true });
}

/**
 * Stops and removes the servers of runs that were killed before their teardown: only folders
 * that are this user's own (0700, not links), whose runner is gone, and only processes that
 * verifiably belong to them.
 */
export async function removeOrphans(): Promise<string[]> {
  const removed: string[] = [];
  const me = process.getuid?.() ?? -1;
  const entries = await fs.readdir(os.tmpdir()).catch(() => [] as string[]);
  for (const entry of entries.filter((e) => e.startsWith(RUN_PREFIX))) {
    const privateDir = path.join(os.tmpdir(), entry);
    if (!ownedDirectory(privateDir, me) || (lstatSync(privateDir).mode & 0o077) !== 0) continue;
    let record: RunRecord;
    try {
      record = JSON.parse(readFileSync(path.join(privateDir, OWNER_FILE), 'utf8')) as RunRecord;
    } catch {
      continue; // a run still starting, or not ours
    }
    if (alive(record.runnerPid) && processStartTime(record.runnerPid) === record.runnerStart) continue;
    await stopVerified(record);
    await removeRunDirs(record, privateDir);
    removed.push(privateDir);
  }
  return removed;
}
