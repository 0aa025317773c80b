/**
 * Task 5, steps 2-4 and the deliverable "an EXPLAIN (ANALYZE, BUFFERS) log", at spec scale: the
 * lab's complex join (sql/queries/lab/complex_join.sql) across users, orders, order_items and
 * products, run by the lab's own code (helpers/lab/join-experiment.ts):
 *   before — every index with a join column dropped: each table read by Seq Scan, rows discarded
 *            by a Filter;
 *   after  — one B-tree index per join column, ANALYZE: no Seq Scan on a table over 10,000 rows,
 *            the tables joined by Nested Loop / Hash Join, all buffers shared hits, same rows.
 */

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import {
  COMPLEX_JOIN_FILE,
  createJoinIndexes,
  dropJoinIndexes,
  explainComplexJoin,
  type JoinRun,
  labCustomer,
  restoreJoinIndexes,
} from '../../helpers/lab/join-experiment.js';
import { explainLog, writeFileIn } from '../../helpers/lab/report.js';
import { planNodes } from '../../helpers/plan/explain.js';
import { readSubmissionFile } from '../../helpers/safety/submission-files.js';
import { loadQueryFile } from '../../helpers/sql/query-file.js';
import { asMultiset } from '../../helpers/vitest/compare-rows.js';
import { failHaveWant } from '../../helpers/vitest/have-want.js';
import { cmpOk, is, matches } from '../../helpers/vitest/tap.js';

const db = useSpecDatabase({ requires: ['users', 'products', 'inventory', 'orders', 'order_items', 'synthesize_commerce()'] });
const sqlDir = inject('suite').sqlDir;
const BIG = 10_000;
const ORDERS = 20_000;
const JOINED = ['users', 'orders', 'order_items', 'products'];

let before: JoinRun;
let after: JoinRun;
let beforeRows: unknown[];
let afterRows: unknown[];
let logDir: string;
let created: string[];
let rowCounts: Map<string, number>;

beforeAll(async () => {
  await db.query(`CALL synthesize_commerce(${ORDERS}, 0.42, NULL, 730, 10500, true)`);
  await db.query('VACUUM ANALYZE users, orders, order_items, products');
  rowCounts = new Map(
    (
      await db.query<{ relname: string; n: string }>(
        `SELECT relname, reltuples::bigint::text AS n FROM pg_class WHERE relname = ANY ($1)`,
        [JOINED],
      )
    ).rows.map((r) => [r.relname, Number(r.n)]),
  );
  const userId = await labCustomer(db);
  const bound = loadQueryFile(path.join(sqlDir, COMPLEX_JOIN_FILE)).bind({ user_id: userId });
  const dropped = await dropJoinIndexes(db);
  before = await explainComplexJoin(db, sqlDir, userId);
  beforeRows = (await db.query(bound.text, bound.values)).rows;
  created = await createJoinIndexes(db);
  after = await explainComplexJoin(db, sqlDir, userId);
  afterRows = (await db.query(bound.text, bound.values)).rows;
  await restoreJoinIndexes(db, dropped);
  logDir = await fs.mkdtemp(path.join(os.tmpdir(), 'arcane-lab-spec-'));
});

afterAll(async () => {
  if (logDir) await fs.rm(logDir, { recursive: true, force: true });
});

describe('Task 5 · the complex join before and after indexing its join columns', {
  tags: ['task5', 'deliverable-explain-log'],
}, () => {
  // clause: t5.complex-join
  it('without join indexes: every joined table is read by Seq Scan, with a Filter discarding rows', () => {
    for (const table of JOINED) {
      const ways = before.accesses.filter((a) => a.relation === table).map((a) => a.nodeType);
      if (!ways.includes('Seq Scan'))
        failHaveWant(
          `how ${table} is read with the join indexes dropped`,
          ways.join(', ') || 'not at all',
          'Seq Scan',
          'the lab query must join users, orders, order_items and products on their key columns',
        );
    }
    const filtered = [...planNodes(before.json.Plan)].filter(
      (n) => n['Node Type'] === 'Seq Scan' && Number(n['Rows Removed by Filter'] ?? 0) > 0,
    );
    if (filtered.length === 0)
      failHaveWant(
        'Seq Scans discarding rows by a Filter',
        'none',
        'at least one ("Rows Removed by Filter")',
        'filter the join on one customer (users.user_id)',
      );
    console.log(
      `[lab spec] before: ${before.accesses.map((a) => `${a.relation} ${a.nodeType}`).join(', ')} · ${before.executionMs.toFixed(2)} ms · shared hit ${before.sharedHit} read ${before.sharedRead}`,
    );
  });

  // clause: t5.complex-join
  it(`with a B-tree index per join column: no Seq Scan on a table over ${BIG.toLocaleString('en')} rows, tables joined by Nested Loop or Hash Join`, () => {
    for (const access of after.accesses) {
      const rows = rowCounts.get(access.relation) ?? 0;
      if (access.nodeType === 'Seq Scan' && rows > BIG) {
        failHaveWant(
          `how ${access.relation} (${rows} rows) is read with B-tree indexes on the join columns`,
          `Seq Scan (plan: ${after.accesses.map((a) => `${a.relation} ${a.nodeType}`).join(', ')})`,
          'Index Scan, Index Only Scan or Bitmap Index Scan',
          'join on the indexed columns themselves (no casts or functions around them), and ANALYZE after creating the indexes',
        );
      }
    }
    const joins = after.nodeTypes.filter((t) => t === 'Nested Loop' || t === 'Hash Join' || t === 'Merge Join');
    cmpOk(joins.length, '>=', 3, 'join nodes in the plan after indexing', 'the complex join joins four tables');
    is(after.sharedRead, 0, 'shared buffers read from disk on the warm indexed run');
    cmpOk(after.sharedHit, '>', 0, 'shared buffer hits on the warm indexed run');
    console.log(
      `[lab spec] after (${created.length} indexes): ${after.accesses.map((a) => `${a.relation} ${a.nodeType}`).join(', ')} · ${after.executionMs.toFixed(2)} ms · shared hit ${after.sharedHit} read ${after.sharedRead}`,
    );
  });

  // clause: t5.complex-join
  it('both plans return the same rows (an index changes the path, never the answer)', () => {
    cmpOk(
      afterRows.length,
      '>',
      0,
      'rows of the complex join for the lab customer',
      "the query must return the customer's lines",
    );
    // as multisets: the contract promises no row order for the complex join (ORDER BY is optional)
    is(
      asMultiset(afterRows),
      asMultiset(beforeRows),
      'rows after indexing vs before (as multisets)',
      'an index must not change the result',
    );
  });

  it('the lab writes both plans as EXPLAIN (ANALYZE, BUFFERS) logs', async () => {
    const machine = {
      serverVersion: inject('suite').serverVersion,
      serverKind: inject('suite').serverKind,
      cores: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '?',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    };
    const query = readSubmissionFile(path.join(sqlDir, COMPLEX_JOIN_FILE));
    const beforeLog = await fs.readFile(
      await writeFileIn(
        logDir,
        'explain-before.log',
        explainLog('before', before, { machine, orders: ORDERS, query, indexes: [] }),
      ),
      'utf8',
    );
    const afterLog = await fs.readFile(
      await writeFileIn(
        logDir,
        'explain-after.log',
        explainLog('after', after, { machine, orders: ORDERS, query, indexes: created }),
      ),
      'utf8',
    );
    matches(beforeLog, /Seq Scan on orders/, 'explain-before.log shows the Seq Scan on orders');
    matches(beforeLog, /Rows Removed by Filter/, 'explain-before.log shows the rows the filter removed');
    matches(afterLog, /Index (Only )?Scan/, 'explain-after.log shows an index scan');
    matches(afterLog, /Buffers: shared hit=\d+/, 'explain-after.log shows buffer counts');
    matches(afterLog, /Execution Time: [\d.]+ ms/, 'explain-after.log shows the execution time');
  });
});
