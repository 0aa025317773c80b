/**
 * The plan walker decides the indexing verdicts: which relation each scan reads. Crafted
 * EXPLAIN (FORMAT JSON) trees, then properties against a plain restatement.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { median, type PlanNode, percentile, planNodes, relationAccesses, sumOver } from '../../helpers/plan/explain.js';

const node = (type: string, extra: Partial<PlanNode> = {}, children: PlanNode[] = []): PlanNode => ({
  'Node Type': type,
  ...extra,
  ...(children.length ? { Plans: children } : {}),
});

describe('harness · EXPLAIN plan walker', () => {
  it('attributes a Bitmap Index Scan to the relation of the Bitmap Heap Scan above it', () => {
    const plan = node('Sort', {}, [
      node('Bitmap Heap Scan', { 'Relation Name': 'products' }, [
        node('BitmapAnd', {}, [
          node('Bitmap Index Scan', { 'Index Name': 'gin_meta' }),
          node('Bitmap Index Scan', { 'Index Name': 'price_idx' }),
        ]),
      ]),
    ]);
    expect(relationAccesses(plan)).toEqual([
      { nodeType: 'Bitmap Heap Scan', relation: 'products' },
      { nodeType: 'Bitmap Index Scan', relation: 'products', index: 'gin_meta' },
      { nodeType: 'Bitmap Index Scan', relation: 'products', index: 'price_idx' },
    ]);
  });

  it('finds scans under joins, InitPlans and SubPlans, and ignores non-scan nodes', () => {
    const plan = node('Hash Join', {}, [
      node('Seq Scan', { 'Relation Name': 'orders' }),
      node('Hash', {}, [node('Index Only Scan', { 'Relation Name': 'users', 'Index Name': 'users_pkey' })]),
      node('Result', { 'Parent Relationship': 'InitPlan' }, [node('Index Scan', { 'Relation Name': 'order_items' })]),
    ]);
    expect(relationAccesses(plan).map((a) => `${a.nodeType} ${a.relation}`)).toEqual([
      'Seq Scan orders',
      'Index Only Scan users',
      'Index Scan order_items',
    ]);
  });

  it('a Bitmap Index Scan outside any Bitmap Heap Scan has no relation to report', () => {
    expect(relationAccesses(node('Bitmap Index Scan', { 'Index Name': 'x' }))).toEqual([]);
  });

  it('property: sumOver adds a field over every node; planNodes visits each node once', () => {
    const tree: fc.Memo<PlanNode> = fc.memo((depth) =>
      fc
        .record({
          blocks: fc.nat(1000),
          children: depth > 1 ? fc.array(tree(depth - 1), { maxLength: 3 }) : fc.constant([] as PlanNode[]),
        })
        .map(({ blocks, children }) => node('Seq Scan', { 'Temp Written Blocks': blocks, 'Relation Name': 't' }, children)),
    );
    fc.assert(
      fc.property(tree(4), (root) => {
        const all = [...planNodes(root)];
        const count = (n: PlanNode): number => 1 + (n.Plans ?? []).reduce((s, c) => s + count(c), 0);
        expect(all.length).toBe(count(root));
        expect(sumOver(root, 'Temp Written Blocks')).toBe(all.reduce((s, n) => s + (n['Temp Written Blocks'] as number), 0));
        expect(relationAccesses(root).length).toBe(all.length);
      }),
      { numRuns: 200 },
    );
  });

  it('property: median and percentile agree with a sorted restatement', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: 0, max: 1e6 }), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 1, max: 100 }),
        (xs, p) => {
          const sorted = [...xs].sort((a, b) => a - b);
          // The median lies between the two middle values (equal to one of them for an odd count).
          // Not "as many below as above": the mean of two adjacent doubles rounds to one of them.
          const m = median(xs);
          expect(m).toBeGreaterThanOrEqual(sorted[Math.floor((sorted.length - 1) / 2)]!);
          expect(m).toBeLessThanOrEqual(sorted[Math.ceil((sorted.length - 1) / 2)]!);
          if (sorted.length % 2 === 1) expect(m).toBe(sorted[(sorted.length - 1) / 2]);
          const q = percentile(xs, p);
          expect(sorted).toContain(q);
          expect(sorted.filter((x) => x <= q).length / sorted.length).toBeGreaterThanOrEqual(p / 100 - 1e-9);
        },
      ),
      // The counterexample a repeated certification found: adjacent subnormal doubles.
      { numRuns: 300, examples: [[[8e-323, 8.4e-323, 8.4e-323, 8e-323], 1]] },
    );
  });
});
