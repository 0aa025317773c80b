/**
 * Deliverable checkout — the audit trigger records every operation CONTRACT.md lists, not only the
 * checkout's UPDATE: a stock row inserted, restocked and deleted writes INSERT, UPDATE and DELETE
 * rows with the documented before/after states.
 */
import { describe, it } from 'vitest';
import { insertProducts, sampleProduct } from '../../helpers/data/contract-rows.js';
import { failHaveWant } from '../../helpers/vitest/have-want.js';
import { inventoryAudit, useCheckoutDatabase } from './support/checkout.js';

const db = useCheckoutDatabase();

describe('Atomic checkout · audit log of every inventory change', { tags: ['task4', 'deliverable-checkout'] }, () => {
  // clause: t4.audit-trigger t4.audit-operations t4.audit-row
  it('INSERT, restock UPDATE and DELETE of a stock row each write one audit row with its states', async () => {
    const [product] = (await insertProducts(db.pool, [sampleProduct()])) as [string];
    await db.query('INSERT INTO inventory (product_id, quantity) VALUES ($1, 4)', [product]);
    await db.query('UPDATE inventory SET quantity = quantity + 6 WHERE product_id = $1', [product]);
    await db.query('DELETE FROM inventory WHERE product_id = $1', [product]);
    const seen = [];
    for (const operation of ['INSERT', 'UPDATE', 'DELETE']) {
      const rows = await inventoryAudit(db.pool, [product], operation);
      seen.push(
        ...rows.map((r) => ({
          operation: r.operation,
          before: r.before_state === null ? null : r.before_quantity,
          after: r.after_state === null ? null : r.after_quantity,
        })),
      );
    }
    const want = [
      { operation: 'INSERT', before: null, after: 4 },
      { operation: 'UPDATE', before: 4, after: 10 },
      { operation: 'DELETE', before: 10, after: null },
    ];
    if (JSON.stringify(seen) !== JSON.stringify(want))
      failHaveWant(
        "audit_logs rows (table_name 'inventory') for a stock row inserted, restocked and deleted",
        seen,
        want,
        'CREATE TRIGGER inventory_audit AFTER INSERT OR UPDATE OR DELETE ON inventory FOR EACH ROW …, with to_jsonb(OLD)/to_jsonb(NEW)',
      );
  });
});
