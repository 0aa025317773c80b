/**
 * Synthesis against its floor: the same rows loaded with COPY from server-side files, the same
 * way (keys, indexes and foreign keys taken aside and rebuilt, triggers off), into the same tables.
 * synthesis_vs_copy_floor = COPY seconds / synthesis seconds (1.0 = as fast as COPY).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';

export const TABLES = ['users', 'products', 'inventory', 'audit_logs', 'orders', 'order_items'] as const;

export interface SynthesisRun {
  seconds: number;
  rows: number;
}

/**
 * Seconds per phase of the synthesis, from its progress NOTICEs ({"synthesis": phase,
 * "elapsed_ms": …} while a phase runs): planning the customers, then the orders and lines plus
 * the catalog (up to "products"), the users, the orders and their lines, the index builds.
 */
export type SynthesisPhases = Record<string, number>;

export async function timeSynthesis(
  db: pg.ClientBase,
  orders: number,
  seed: number,
): Promise<SynthesisRun & { phases: SynthesisPhases }> {
  const lastElapsed = new Map<string, number>();
  const onNotice = (n: { message?: string }) => {
    if (!n.message?.startsWith('{')) return;
    const m = JSON.parse(n.message) as { synthesis?: string; elapsed_ms?: number };
    if (m.synthesis && typeof m.elapsed_ms === 'number') lastElapsed.set(m.synthesis, m.elapsed_ms);
  };
  db.on('notice', onNotice);
  const t0 = performance.now();
  try {
    await db.query('CALL synthesize_commerce(p_orders => $1, p_seed => $2, p_truncate => true)', [orders, seed]);
  } finally {
    db.off('notice', onNotice);
  }
  const seconds = (performance.now() - t0) / 1000;
  const phases: SynthesisPhases = {};
  let previous = 0;
  for (const [phase, elapsed] of lastElapsed) {
    phases[phase] = (elapsed - previous) / 1000;
    previous = elapsed;
  }
  phases['analyze and the rest'] = seconds - previous / 1000;
  return { seconds, rows: await countRows(db), phases };
}

async function countRows(db: pg.ClientBase): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT (${TABLES.map((t) => `(SELECT count(*) FROM ${t})`).join(' + ')})::text AS n`,
  );
  return Number(rows[0]!.n);
}

/** DDL to take the six tables' keys, indexes and foreign keys aside, as the synthesis does. */
async function deferredDdl(db: pg.ClientBase): Promise<{ drop: string[]; create: string[] }> {
  const { rows } = await db.query<{ drop_sql: string; create_sql: string }>(
    `WITH t AS (SELECT unnest($1::regclass[]) AS rel)
     SELECT drop_sql, create_sql FROM (
       SELECT 3 AS k, format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop_sql,
              format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS create_sql
         FROM pg_constraint AS c WHERE c.contype = 'f' AND (c.conrelid IN (SELECT rel FROM t) OR c.confrelid IN (SELECT rel FROM t))
       UNION ALL
       SELECT 1, format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
              format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
         FROM pg_constraint AS c WHERE c.contype IN ('p', 'u', 'x') AND c.conrelid IN (SELECT rel FROM t)
       UNION ALL
       SELECT 2, format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
         FROM pg_index AS i WHERE i.indrelid IN (SELECT rel FROM t)
          AND NOT EXISTS (SELECT FROM pg_constraint AS c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
     ) AS d ORDER BY k DESC`,
    [TABLES],
  );
  return { drop: rows.map((r) => r.drop_sql), create: rows.map((r) => r.create_sql).reverse() };
}

/** The same rows again: exported to files (untimed), then truncated, COPYed back and re-indexed (timed). */
export async function timeCopyFloor(db: pg.ClientBase): Promise<SynthesisRun & { loadSeconds: number; indexSeconds: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arcane-bench-copy-'));
  fs.chmodSync(dir, 0o777); // the server writes here as its own OS user
  try {
    for (const t of TABLES) await db.query(`COPY ${t} TO '${path.join(dir, `${t}.copy`)}'`);
    const ddl = await deferredDdl(db);
    await db.query(`TRUNCATE ${TABLES.join(', ')}`);
    const t0 = performance.now();
    await db.query('BEGIN');
    await db.query(`SET LOCAL session_replication_role = replica`); // triggers off, as in the synthesis
    await db.query(`SET LOCAL maintenance_work_mem = '256MB'`); // as the synthesis sets it
    for (const sql of ddl.drop) await db.query(sql);
    for (const t of TABLES) await db.query(`COPY ${t} FROM '${path.join(dir, `${t}.copy`)}'`);
    const loaded = performance.now();
    for (const sql of ddl.create) await db.query(sql);
    for (const t of TABLES) await db.query(`ANALYZE ${t}`);
    await db.query('COMMIT');
    const done = performance.now();
    await db.query('SELECT dashboard_rollups_reset()');
    return {
      seconds: (done - t0) / 1000,
      loadSeconds: (loaded - t0) / 1000,
      indexSeconds: (done - loaded) / 1000,
      rows: await countRows(db),
    };
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
