import type pg from 'pg';
import { fmt } from './format.js';
import { Progress } from './progress.js';

export type SynthesisResult = Awaited<ReturnType<typeof synthesize>>;

/**
 * A NOTICE listener moving a progress bar with synthesize_commerce's JSON notices: the orders
 * from 20 % to 85 %, the index builds to 100 %; the phases' end times (ms) land in `phases`.
 */
export function synthesisProgress(progress: Progress, phases: Record<string, number> = {}) {
  return (notice: { message?: string }) => {
    if (!notice.message?.startsWith('{')) return;
    const n = JSON.parse(notice.message) as { synthesis: string; done?: number; total?: number; ms?: number; rows?: number };
    if (n.ms !== undefined) phases[n.synthesis] = n.ms;
    if (n.synthesis === 'orders') progress.update(0.2 + 0.65 * (n.done! / n.total!), `orders ${fmt(n.done!)}/${fmt(n.total!)}`);
    else if (n.synthesis === 'indexes') progress.update(0.85 + 0.15 * (n.done! / n.total!), `indexes ${n.done}/${n.total}`);
    else if (n.synthesis !== 'done') progress.update(progress.fraction, n.synthesis);
  };
}

/** CALL synthesize_commerce with the procedure's JSON notices driving a progress bar. */
export async function synthesize(
  client: pg.Client,
  args: { orders: number; seed: number; keepIndexes?: boolean; products?: number },
  label: string,
) {
  const progress = new Progress(label);
  const phases: Record<string, number> = {};
  const onNotice = synthesisProgress(progress, phases);
  client.on('notice', onNotice);
  const t0 = performance.now();
  try {
    await client.query(
      `CALL synthesize_commerce(p_orders => $1, p_seed => $2, p_products => $3, p_truncate => true, p_keep_indexes => $4)`,
      [args.orders, args.seed, args.products ?? null, args.keepIndexes ?? false],
    );
  } finally {
    client.off('notice', onNotice);
  }
  const seconds = (performance.now() - t0) / 1000;
  progress.done(`${fmt(seconds, 1)} s`);
  const counts = (
    await client.query<
      Record<string, string>
    >(`SELECT (SELECT count(*) FROM users)::text AS users, (SELECT count(*) FROM products)::text AS products,
      (SELECT count(*) FROM inventory)::text AS inventory, (SELECT count(*) FROM audit_logs)::text AS audit_logs,
      (SELECT count(*) FROM orders)::text AS orders, (SELECT count(*) FROM order_items)::text AS order_items`)
  ).rows[0]!;
  const rows = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)]));
  const total = Object.values(rows).reduce((a, b) => a + b, 0);
  return { seconds, rows, total, rowsPerSecond: total / seconds, loadMs: phases.loaded ?? null, indexMs: phases.indexed ?? null };
}
