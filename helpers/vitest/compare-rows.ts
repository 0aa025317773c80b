import { failHaveWant } from './have-want.js';

/**
 * Exact comparison of a query's rows with an oracle's, both rendered as one line per row. On a
 * difference, the student sees the first rows that differ and the data that produced them.
 */
export function expectSameRows(check: string, have: readonly string[], want: readonly string[], fix: string, context = ''): void {
  const length = Math.max(have.length, want.length);
  for (let i = 0; i < length; i++) {
    if (have[i] !== want[i]) {
      const window = (rows: readonly string[]) =>
        rows
          .slice(Math.max(0, i - 1), i + 3)
          .map((r) => `\n        ${r}`)
          .join('') || ' (no rows)';
      failHaveWant(
        `${check}: row ${i + 1} differs (${have.length} rows returned, ${want.length} expected)${context ? `\n  data:\n${context}` : ''}`,
        have[i] === undefined ? `no row ${i + 1}` : `${window(have)}`,
        want[i] === undefined ? `no row ${i + 1}` : `${window(want)}`,
        fix,
      );
    }
  }
}

/**
 * Rows as a multiset: one JSON line per row, sorted. For results whose order CONTRACT.md does
 * not promise (no ORDER BY is required), so two correct answers in different orders compare equal.
 */
export function asMultiset(rows: readonly unknown[]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}
