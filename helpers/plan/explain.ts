import type { Queryable } from '../db/queryable.js';

/** One node of EXPLAIN (FORMAT JSON), with the fields the specs read. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Alias?: string;
  'Sort Method'?: string;
  'Sort Space Type'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Temp Read Blocks'?: number;
  'Temp Written Blocks'?: number;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

export interface ExplainResult {
  Plan: PlanNode;
  'Planning Time'?: number;
  'Execution Time'?: number;
  [key: string]: unknown;
}

export interface ExplainOptions {
  analyze?: boolean;
  buffers?: boolean;
}

/** EXPLAIN (FORMAT JSON [, ANALYZE, BUFFERS]) of one statement with bind parameters. */
export async function explain(
  db: Queryable,
  sql: string,
  params: unknown[] = [],
  options: ExplainOptions = {},
): Promise<ExplainResult> {
  const flags = ['FORMAT JSON', ...(options.analyze ? ['ANALYZE', 'TIMING OFF'] : []), ...(options.buffers ? ['BUFFERS'] : [])];
  if (options.analyze && options.buffers) flags.splice(flags.indexOf('TIMING OFF'), 1); // keep per-node timing for logs
  const { rows } = await db.query<{ 'QUERY PLAN': ExplainResult[] }>(`EXPLAIN (${flags.join(', ')}) ${sql}`, params);
  return rows[0]!['QUERY PLAN'][0]!;
}

/** Every node of the plan tree, depth first, including InitPlans and SubPlans. */
export function* planNodes(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* planNodes(child);
}

/** Node types that read a relation's tuples or index directly. */
const SCAN_TYPES = new Set([
  'Seq Scan',
  'Index Scan',
  'Index Only Scan',
  'Bitmap Heap Scan',
  'Bitmap Index Scan',
  'Tid Scan',
  'Tid Range Scan',
  'Sample Scan',
]);

export interface RelationAccess {
  nodeType: string;
  relation: string;
  index?: string;
}

/**
 * How each relation is reached. A Bitmap Index Scan names only its index, so it is attributed
 * to the relation of the Bitmap Heap Scan above it.
 */
export function relationAccesses(root: PlanNode): RelationAccess[] {
  const accesses: RelationAccess[] = [];
  const visit = (node: PlanNode, heapRelation?: string) => {
    const relation = node['Relation Name'] ?? (node['Node Type'] === 'Bitmap Index Scan' ? heapRelation : undefined);
    if (SCAN_TYPES.has(node['Node Type']) && relation) {
      accesses.push({ nodeType: node['Node Type'], relation, ...(node['Index Name'] ? { index: node['Index Name'] } : {}) });
    }
    const nextHeap = node['Node Type'] === 'Bitmap Heap Scan' ? node['Relation Name'] : heapRelation;
    for (const child of node.Plans ?? []) visit(child, nextHeap);
  };
  visit(root);
  return accesses;
}

/** Row counts per relation as ANALYZE recorded them (pg_class.reltuples). */
export async function relationRowCounts(db: Queryable): Promise<Map<string, number>> {
  const { rows } = await db.query<{ relname: string; n: string }>(
    `SELECT c.relname, c.reltuples::bigint::text AS n FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
      WHERE ns.nspname = 'public' AND c.relkind IN ('r', 'm', 'p')`,
  );
  return new Map(rows.map((r) => [r.relname, Math.max(0, Number(r.n))]));
}

/** Sum of a numeric field over all nodes (e.g. 'Temp Written Blocks'). */
export function sumOver(root: PlanNode, field: keyof PlanNode): number {
  let total = 0;
  for (const node of planNodes(root)) total += typeof node[field] === 'number' ? (node[field] as number) : 0;
  return total;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
