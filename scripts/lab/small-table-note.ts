/**
 * Why a dashboard query reads a table by Seq Scan at a small lab size: below ~10,000 rows the
 * planner rightly finds a sequential read cheaper than any index (GIN included). The
 * indexing-precision criterion only concerns tables over 10,000 rows, as the assignment says.
 */
import type { RelationAccess } from '../../helpers/plan/explain.js';

export const INDEX_WORTHWHILE_ROWS = 10_000;

/** One sentence per small table read by Seq Scan, or '' when there is none. */
export function seqScanNote(accesses: RelationAccess[], tableRows: Record<string, number>): string {
  const small = [...new Set(accesses.filter((a) => a.nodeType === 'Seq Scan').map((a) => a.relation))].filter(
    (r) => tableRows[r] !== undefined && tableRows[r]! < INDEX_WORTHWHILE_ROWS,
  );
  return small
    .map(
      (r) =>
        `Seq Scan on ${r} is expected here: it holds only ${tableRows[r]!.toLocaleString('en')} rows, and below about ${INDEX_WORTHWHILE_ROWS.toLocaleString('en')} reading the whole table is cheaper than any index (GIN included); the criterion concerns bigger tables, and the plan spec checks it on 20,000 products`,
    )
    .join('; ');
}
