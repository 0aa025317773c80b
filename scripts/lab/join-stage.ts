/**
 * Lab steps 1-2: the complex join without, then with, B-tree indexes on its join columns, both
 * EXPLAIN (ANALYZE, BUFFERS) logs written to the report folder. The reference's own indexes are
 * put back afterwards, so the later steps see the solution as written.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { JoinRun } from '../../helpers/lab/join-experiment.js';
import {
  COMPLEX_JOIN_FILE,
  createJoinIndexes,
  dropJoinIndexes,
  explainComplexJoin,
  labCustomer,
  restoreJoinIndexes,
} from '../../helpers/lab/join-experiment.js';
import { explainLog, type Machine, writeFileIn } from '../../helpers/lab/report.js';
import { describeAccesses } from '../../helpers/plan/dashboard-queries.js';
import { ms } from './format.js';

export async function runJoinStage(
  db: pg.Client,
  sqlDir: string,
  options: { out: string; orders: number },
  machine: Machine,
  log: (line: string) => void,
) {
  const userId = await labCustomer(db);
  const query = await fs.readFile(path.join(sqlDir, COMPLEX_JOIN_FILE), 'utf8');
  const t0 = performance.now();
  const dropped = await dropJoinIndexes(db);
  const before = await explainComplexJoin(db, sqlDir, userId);
  const created = await createJoinIndexes(db);
  const createSeconds = (performance.now() - t0) / 1000;
  const after = await explainComplexJoin(db, sqlDir, userId);
  await restoreJoinIndexes(db, dropped);
  await writeFileIn(
    options.out,
    'explain-before.log',
    explainLog(`Task 5 · the complex join WITHOUT indexes on the join columns (dropped: ${dropped.dropped.join(', ')})`, before, {
      machine,
      orders: options.orders,
      query,
      indexes: [],
    }),
  );
  await writeFileIn(
    options.out,
    'explain-after.log',
    explainLog('Task 5 · the same join with a B-tree index on every join column, after ANALYZE', after, {
      machine,
      orders: options.orders,
      query,
      indexes: created,
    }),
  );
  log(
    `join: before ${ms(before.executionMs)} ms (${describeAccesses(before.accesses)}); after ${ms(after.executionMs)} ms (${describeAccesses(after.accesses)})`,
  );

  return { userId, dropped: dropped.dropped, created, createSeconds, before, after };
}

/** What summary.json keeps of one EXPLAIN run of the join. */
export function planFigures(run: JoinRun) {
  return {
    executionMs: run.executionMs,
    sharedHit: run.sharedHit,
    sharedRead: run.sharedRead,
    accesses: run.accesses,
    nodeTypes: run.nodeTypes,
    plan: run.json.Plan,
  };
}
