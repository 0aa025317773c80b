/**
 * Deliverable checkout — the application role's privileges, compared in full from the catalog:
 * none of the "may not" privileges of CONTRACT.md is held on the table or on any of its columns
 * (directly, through PUBLIC or an inherited role), and EXECUTE on process_order is the role's,
 * not PUBLIC's. And the audit log refuses TRUNCATE even after a careless GRANT TRUNCATE.
 */
import { describe, it } from 'vitest';
import { failHaveWant } from '../../helpers/vitest/have-want.js';
import { expectSqlState } from '../../helpers/vitest/sqlstate.js';
import { useCheckoutDatabase } from './support/checkout.js';

const db = useCheckoutDatabase();

const MAY_NOT: [table: string, privileges: string[]][] = [
  ['inventory', ['INSERT', 'UPDATE', 'DELETE']],
  ['orders', ['INSERT']],
  ['order_items', ['INSERT', 'UPDATE']],
  ['audit_logs', ['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']],
];
const COLUMN_LEVEL = new Set(['INSERT', 'UPDATE']);

describe('Atomic checkout · the application role holds no forbidden privilege', {
  tags: ['task4', 'deliverable-checkout'],
}, () => {
  // clause: t4.role-privileges
  it('arcane_app: no forbidden table or column privilege, EXECUTE on process_order, SELECT on the catalog', async () => {
    const held: string[] = [];
    for (const [table, privileges] of MAY_NOT)
      for (const privilege of privileges) {
        const { rows } = await db.query<{ t: boolean; c: boolean }>(
          `SELECT has_table_privilege('arcane_app', $1, $2) AS t,
                  CASE WHEN $3 THEN has_any_column_privilege('arcane_app', $1, $2) ELSE false END AS c`,
          [table, privilege, COLUMN_LEVEL.has(privilege)],
        );
        if (rows[0]!.t) held.push(`${privilege} on ${table}`);
        else if (rows[0]!.c) held.push(`${privilege} on some columns of ${table}`);
      }
    const { rows } = await db.query<{ select_products: boolean; select_inventory: boolean; execute: boolean }>(
      `SELECT has_table_privilege('arcane_app', 'products', 'SELECT') AS select_products,
              has_table_privilege('arcane_app', 'inventory', 'SELECT') AS select_inventory,
              has_function_privilege('arcane_app', p.oid, 'EXECUTE') AS execute
         FROM pg_proc p WHERE p.proname = 'process_order' AND p.pronamespace = 'public'::regnamespace`,
    );
    const may = rows[0];
    if (!may?.select_products) held.push('missing: SELECT on products');
    if (!may?.select_inventory) held.push('missing: SELECT on inventory');
    if (!may?.execute) held.push('missing: EXECUTE on process_order');
    if (held.length > 0)
      failHaveWant(
        'privileges of arcane_app (table and column grants, via PUBLIC too)',
        held,
        'only the "may" column of CONTRACT.md (Task 4, Application role)',
        'grant SELECT on products, inventory and EXECUTE on process_order; revoke the rest, column grants included',
      );
  });

  // clause: t4.audit-append-only
  it('audit_logs refuses TRUNCATE by arcane_app even after a careless GRANT TRUNCATE', async () => {
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      await client.query('GRANT TRUNCATE ON audit_logs TO arcane_app');
      await client.query('SET LOCAL ROLE arcane_app');
      await expectSqlState(
        'TRUNCATE audit_logs as arcane_app after GRANT TRUNCATE ON audit_logs TO arcane_app',
        () => client.query('TRUNCATE audit_logs'),
        '42501',
        'a BEFORE TRUNCATE trigger on audit_logs that refuses every role not a member of the owner (audit_logs_no_truncate)',
      );
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    }
  });
});
