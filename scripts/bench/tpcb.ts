/**
 * The TPC-B-like side of the checkout ratio: pgbench's built-in "tpcb-like" script, its tables
 * built as `pgbench -i` builds them, and its transaction re-implemented in node-postgres (the same
 * seven round trips pgbench makes: BEGIN, three UPDATEs, a SELECT, an INSERT, END). Debian's
 * pgbench, when installed, runs the same script on the same tables for reference.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import type pg from 'pg';
import type { Transaction } from './load.js';

const ACCOUNTS_PER_BRANCH = 100_000;
const TELLERS_PER_BRANCH = 10;
const MAX_DELTA = 5000;

/** The pgbench tables at a scale (branches), filled and keyed as `pgbench -i -s scale` does. */
export async function createTpcbTables(db: pg.ClientBase, scale: number): Promise<void> {
  await db.query(`
    DROP TABLE IF EXISTS pgbench_history, pgbench_tellers, pgbench_accounts, pgbench_branches;
    CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22));
    CREATE TABLE pgbench_tellers (tid int NOT NULL, bid int, tbalance int, filler char(84)) WITH (fillfactor = 100);
    CREATE TABLE pgbench_accounts (aid int NOT NULL, bid int, abalance int, filler char(84)) WITH (fillfactor = 100);
    CREATE TABLE pgbench_branches (bid int NOT NULL, bbalance int, filler char(88)) WITH (fillfactor = 100);`);
  await db.query(`INSERT INTO pgbench_branches (bid, bbalance) SELECT b, 0 FROM generate_series(1, $1) AS b`, [scale]);
  await db.query(
    `INSERT INTO pgbench_tellers (tid, bid, tbalance) SELECT t, (t - 1) / $2::int + 1, 0 FROM generate_series(1, $1::int * $2::int) AS t`,
    [scale, TELLERS_PER_BRANCH],
  );
  await db.query(
    `INSERT INTO pgbench_accounts (aid, bid, abalance, filler) SELECT a, (a - 1) / $2::int + 1, 0, '' FROM generate_series(1, $1::int * $2::int) AS a`,
    [scale, ACCOUNTS_PER_BRANCH],
  );
  await db.query(`
    ALTER TABLE pgbench_branches ADD PRIMARY KEY (bid);
    ALTER TABLE pgbench_tellers ADD PRIMARY KEY (tid);
    ALTER TABLE pgbench_accounts ADD PRIMARY KEY (aid);`);
  await db.query('VACUUM ANALYZE pgbench_branches, pgbench_tellers, pgbench_accounts, pgbench_history');
}

const random = (n: number) => 1 + Math.floor(Math.random() * n);

/** pgbench's tpcb-like transaction, statement by statement. */
export function tpcbTransaction(scale: number): Transaction {
  return async (client) => {
    const aid = random(scale * ACCOUNTS_PER_BRANCH);
    const bid = random(scale);
    const tid = random(scale * TELLERS_PER_BRANCH);
    const delta = Math.floor(Math.random() * (2 * MAX_DELTA + 1)) - MAX_DELTA;
    await client.query('BEGIN');
    await client.query('UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2', [delta, aid]);
    await client.query('SELECT abalance FROM pgbench_accounts WHERE aid = $1', [aid]);
    await client.query('UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2', [delta, tid]);
    await client.query('UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2', [delta, bid]);
    await client.query('INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)', [
      tid,
      bid,
      aid,
      delta,
    ]);
    await client.query('END');
  };
}

/** Debian's pgbench binary, if any (postgresql-client or a server package). */
export function findPgbench(): string | undefined {
  const candidates = ['/usr/bin/pgbench', ...['18', '17', '16', '15'].map((v) => `/usr/lib/postgresql/${v}/bin/pgbench`)];
  return candidates.find((p) => fs.existsSync(p));
}

export interface PgbenchResult {
  binary: string;
  tps: number;
  latencyAvgMs: number;
  transactions: number;
}

/** pgbench -b tpcb-like on the tables above (-n: they are ours, no vacuum of pgbench's own). */
export async function runPgbench(binary: string, url: string, clients: number, seconds: number): Promise<PgbenchResult> {
  const { stdout } = await promisify(execFile)(
    binary,
    ['-n', '-b', 'tpcb-like', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(seconds), url],
    { maxBuffer: 1 << 22 },
  );
  const number = (re: RegExp) => Number(re.exec(stdout)?.[1] ?? Number.NaN);
  return {
    binary,
    tps: number(/tps = ([\d.]+)/),
    latencyAvgMs: number(/latency average = ([\d.]+) ms/),
    transactions: number(/number of transactions actually processed: (\d+)/),
  };
}
