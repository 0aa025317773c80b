/**
 * Where a run's CPU went: the machine's busy core-seconds (Linux /proc/stat, every process), the
 * server's own (the postmaster and its children, from /proc/<pid>/stat, when the server runs on
 * this machine) and this Node process's (the load driver). Divided by the transactions of the run
 * it gives CPU milliseconds per transaction, which is what caps a ratio on a 2-core machine once
 * the cores are saturated. Another job on the machine shows as busy cores that are neither.
 */
import fs from 'node:fs';
import os from 'node:os';
import type pg from 'pg';

const TICKS_PER_SECOND = 100; // USER_HZ: the unit of /proc/<pid>/stat's times on every Linux

/** utime + stime of a process, in ticks, and its parent; null when it cannot be read. */
function processTicks(pid: number): { ticks: number; ppid: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // after "pid (comm) ": state ppid ... utime (14th field) stime (15th); comm may hold spaces
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** The server's processes (postmaster and children) and their CPU ticks so far. */
function serverTicks(postmaster: number): Map<number, number> {
  const ticks = new Map<number, number>();
  const own = processTicks(postmaster);
  if (!own) return ticks;
  ticks.set(postmaster, own.ticks);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const p = processTicks(Number(entry));
    if (p?.ppid === postmaster) ticks.set(Number(entry), p.ticks);
  }
  return ticks;
}

/** The postmaster's pid when the server of `db` runs on this machine (its backend is our /proc's), else null. */
export async function localPostmasterPid(db: pg.ClientBase): Promise<number | null> {
  const { rows } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const backend = rows[0]!.pid;
  try {
    if (!fs.readFileSync(`/proc/${backend}/cmdline`, 'utf8').includes('postgres')) return null;
  } catch {
    return null;
  }
  return processTicks(backend)?.ppid ?? null;
}

export interface CpuUse {
  /** Wall seconds of the measurement. */
  seconds: number;
  /** Average busy cores of the whole machine (0 .. cores), null when /proc/stat cannot be read. */
  busyCores: number | null;
  /** Busy core-seconds of this process (the load driver). */
  driverCoreSeconds: number;
  /** Busy core-seconds of everything else: the server, its background workers, other jobs. */
  otherCoreSeconds: number | null;
  /** Core-seconds of the server's processes alone (null when the server is not on this machine). */
  serverCoreSeconds: number | null;
  cores: number;
}

interface Jiffies {
  busy: number;
  total: number;
}

function readJiffies(): Jiffies | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    return { busy, total: busy + idle! + iowait! };
  } catch {
    return null;
  }
}

/** Starts measuring; the returned function ends the measurement. */
export function startCpuMeter(postmaster: number | null = null): () => CpuUse {
  const cores = os.cpus().length;
  const server0 = postmaster === null ? null : serverTicks(postmaster);
  const wall0 = performance.now();
  const jiffies0 = readJiffies();
  const own0 = process.cpuUsage();
  return () => {
    const server1 = postmaster === null ? null : serverTicks(postmaster);
    const seconds = (performance.now() - wall0) / 1000;
    const jiffies1 = readJiffies();
    const own = process.cpuUsage(own0);
    const driverCoreSeconds = (own.user + own.system) / 1e6;
    let busyCores: number | null = null;
    if (jiffies0 && jiffies1 && jiffies1.total > jiffies0.total) {
      // jiffies count per core: busy share of all cores' time, times the cores
      busyCores = ((jiffies1.busy - jiffies0.busy) / (jiffies1.total - jiffies0.total)) * cores;
    }
    let serverCoreSeconds: number | null = null;
    if (server0 && server1 && server1.size > 0) {
      let ticks = 0;
      for (const [pid, t] of server1) ticks += t - (server0.get(pid) ?? 0); // a process born meanwhile: all its time
      serverCoreSeconds = ticks / TICKS_PER_SECOND;
    }
    return {
      seconds,
      busyCores,
      driverCoreSeconds,
      otherCoreSeconds: busyCores === null ? null : Math.max(0, busyCores * seconds - driverCoreSeconds),
      serverCoreSeconds,
      cores,
    };
  };
}

/**
 * CPU milliseconds per transaction: the server's (its own processes when known, else everything
 * but the driver) and the driver's.
 */
export function cpuPerTransaction(cpu: CpuUse, transactions: number): { serverMs: number | null; driverMs: number } {
  const per = (coreSeconds: number) => (transactions > 0 ? (coreSeconds * 1000) / transactions : Number.NaN);
  const server = cpu.serverCoreSeconds ?? cpu.otherCoreSeconds;
  return { serverMs: server === null ? null : per(server), driverMs: per(cpu.driverCoreSeconds) };
}
