/**
 * Deliverable checkout — least privilege. The application role arcane_app (NOLOGIN; a login role
 * is granted membership) may read the catalog and CALL process_order, and nothing else: every
 * write goes through the procedure (SECURITY DEFINER, search_path pinned). The audit log is
 * append-only for every role but its owner — even after a careless GRANT. Each refusal is shown
 * by SET ROLE arcane_app and the attempt itself (SQLSTATE 42501).
 */
import type pg from 'pg';
import { beforeAll, describe, it } from 'vitest';
import { fail, failHaveWant } from '../../helpers/vitest/have-want.js';
import { expectSqlState, refusal } from '../../helpers/vitest/sqlstate.js';
import { processOrder, SQLSTATE, seedBuyers, seedStockedProducts, stockOf, useCheckoutDatabase } from './support/checkout.js';

const APP_ROLE = 'arcane_app';
const db = useCheckoutDatabase();
let buyer: string;
let product: string;
let orderId: string;

beforeAll(async () => {
  [buyer] = (await seedBuyers(db.pool, 1)) as [string];
  [product] = (await seedStockedProducts(db.pool, [{ stock: 3 }])) as [string];
  orderId = await processOrder(db.pool, buyer, [{ product_id: product, quantity: 1 }]);
});

/** Runs `body` on a session of its own as arcane_app, inside a transaction that is rolled back. */
async function asAppRole<T>(body: (client: pg.Client) => Promise<T>, { grantFirst }: { grantFirst?: string } = {}): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    if (grantFirst) await client.query(grantFirst);
    await client.query(`SET LOCAL ROLE ${APP_ROLE}`);
    return await body(client);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  }
}

const FORBIDDEN: { action: string; sql: () => string; fix: string }[] = [
  {
    action: 'UPDATE inventory',
    sql: () => `UPDATE inventory SET quantity = 1000 WHERE product_id = '${product}'`,
    fix: 'grant arcane_app SELECT on the catalog only; stock changes go through process_order',
  },
  {
    action: 'INSERT INTO inventory',
    sql: () => `INSERT INTO inventory (product_id, quantity) VALUES ('${product}', 1)`,
    fix: 'do not grant INSERT on inventory to the application role',
  },
  {
    action: 'DELETE FROM inventory',
    sql: () => `DELETE FROM inventory WHERE product_id = '${product}'`,
    fix: 'do not grant DELETE on inventory to the application role',
  },
  {
    action: 'INSERT INTO orders',
    sql: () => `INSERT INTO orders (user_id, order_date) VALUES ('${buyer}', now())`,
    fix: 'orders are created by process_order only: no INSERT on orders for the application role',
  },
  {
    action: 'INSERT INTO order_items',
    sql: () => `INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES ('${orderId}', '${product}', 1, 0)`,
    fix: 'no INSERT on order_items for the application role',
  },
  {
    action: 'UPDATE order_items (rewrite a price)',
    sql: () => `UPDATE order_items SET unit_price = 0 WHERE order_id = '${orderId}'`,
    fix: 'no UPDATE on order_items for the application role',
  },
  {
    action: 'INSERT INTO audit_logs (forge an entry)',
    sql: () => `INSERT INTO audit_logs (table_name, operation, after_state) VALUES ('inventory', 'UPDATE', '{}')`,
    fix: 'audit rows are written by the trigger (SECURITY DEFINER), never by the application role',
  },
  {
    action: 'UPDATE audit_logs',
    sql: () => `UPDATE audit_logs SET after_state = '{}'`,
    fix: 'the audit log is append-only: no UPDATE for anyone but the owner',
  },
  {
    action: 'DELETE FROM audit_logs',
    sql: () => 'DELETE FROM audit_logs',
    fix: 'the audit log is append-only: no DELETE for anyone but the owner',
  },
  {
    action: 'TRUNCATE audit_logs',
    sql: () => 'TRUNCATE audit_logs',
    fix: 'the audit log is append-only: no TRUNCATE for anyone but the owner',
  },
];

describe('Atomic checkout · least privilege', { tags: ['task4', 'deliverable-checkout'] }, () => {
  // No clause: the harness creates arcane_app, and a submission cannot create or alter roles.
  it('arcane_app exists, cannot log in and holds no special attributes', async () => {
    const { rows } = await db.query<{
      rolcanlogin: boolean;
      rolsuper: boolean;
      rolcreaterole: boolean;
      rolcreatedb: boolean;
      rolbypassrls: boolean;
    }>('SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = $1', [APP_ROLE]);
    if (rows.length === 0)
      fail(
        `role ${APP_ROLE} does not exist`,
        "the harness creates it before applying the SQL; on your own server: DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'arcane_app') THEN CREATE ROLE arcane_app NOLOGIN; END IF; END $$",
      );
    const want = { rolcanlogin: false, rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false };
    if (JSON.stringify(rows[0]) !== JSON.stringify(want))
      failHaveWant(
        `attributes of ${APP_ROLE}`,
        rows[0],
        want,
        'a group role: NOLOGIN, no SUPERUSER/CREATEROLE/CREATEDB/BYPASSRLS',
      );
  });

  // clause: t4.role-privileges
  it('arcane_app can read the catalog and check out through process_order', async () => {
    const before = (await stockOf(db.pool, [product])).get(product)!;
    await asAppRole(async (client) => {
      await client.query('SELECT product_id, sku, name, price, metadata FROM products LIMIT 1');
      await client.query('SELECT product_id, quantity FROM inventory LIMIT 1');
      await processOrder(client, buyer, [{ product_id: product, quantity: 1 }]).catch((e: pg.DatabaseError) =>
        failHaveWant(
          `CALL process_order as ${APP_ROLE}`,
          `SQLSTATE ${e.code}: ${e.message}`,
          'an order',
          'GRANT EXECUTE ON PROCEDURE process_order TO arcane_app and make it SECURITY DEFINER',
        ),
      );
      const { rows } = await client.query<{ quantity: number }>('SELECT quantity FROM inventory WHERE product_id = $1', [
        product,
      ]);
      if (rows[0]?.quantity !== before - 1)
        failHaveWant(`stock seen by ${APP_ROLE} after its checkout`, rows[0]?.quantity, before - 1);
    });
  });

  // clause: t4.role-privileges t4.audit-append-only
  it.each(FORBIDDEN.map((f) => [f.action, f] as const))('arcane_app is refused: %s', (_action, f) =>
    asAppRole((client) =>
      expectSqlState(`SET ROLE ${APP_ROLE}; ${f.sql()}`, () => client.query(f.sql()), SQLSTATE.insufficientPrivilege, f.fix),
    ),
  );

  // clause: t4.audit-append-only
  it.each(['UPDATE', 'DELETE'] as const)('audit_logs stays append-only after a careless GRANT %s to arcane_app', (verb) =>
    asAppRole(
      (client) =>
        expectSqlState(
          `GRANT ${verb} ON audit_logs TO ${APP_ROLE}; SET ROLE ${APP_ROLE}; ${verb} audit_logs`,
          () => client.query(verb === 'UPDATE' ? `UPDATE audit_logs SET after_state = '{}'` : 'DELETE FROM audit_logs'),
          SQLSTATE.insufficientPrivilege,
          'add a BEFORE UPDATE OR DELETE trigger on audit_logs that raises insufficient_privilege (42501) for every role but the owner',
        ),
      { grantFirst: `GRANT ${verb} ON audit_logs TO ${APP_ROLE}` },
    ),
  );

  // clause: t4.role-privileges
  it('PUBLIC cannot execute process_order (only roles granted it)', async () => {
    const { rows } = await db.query<{ ok: boolean }>(
      `SELECT has_function_privilege('public', 'process_order(uuid, jsonb, uuid)', 'EXECUTE') AS ok`,
    );
    if (rows[0]!.ok)
      failHaveWant(
        'EXECUTE on process_order for PUBLIC',
        'granted (the default for new routines)',
        'revoked',
        'REVOKE ALL ON PROCEDURE process_order(uuid, jsonb, uuid) FROM PUBLIC; GRANT EXECUTE … TO arcane_app',
      );
  });

  // clause: t4.security-definer
  it('every SECURITY DEFINER routine pins search_path, with pg_temp last', async () => {
    const { rows } = await db.query<{ routine: string; config: string[] | null }>(
      `SELECT p.oid::regprocedure::text AS routine, p.proconfig AS config
         FROM pg_proc AS p WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef ORDER BY 1`,
    );
    if (!rows.some((r) => r.routine.startsWith('process_order(')))
      fail('process_order is not SECURITY DEFINER', 'make it SECURITY DEFINER so arcane_app needs no write access to the tables');
    for (const r of rows) {
      const path = (r.config ?? []).find((c) => c.startsWith('search_path='));
      const parts =
        path
          ?.slice('search_path='.length)
          .split(',')
          .map((s) => s.trim().replace(/^"|"$/g, '')) ?? [];
      if (parts.length === 0 || parts[parts.length - 1] !== 'pg_temp') {
        failHaveWant(
          `search_path of SECURITY DEFINER routine ${r.routine}`,
          path ?? "not set (the caller's search_path applies)",
          'search_path=public, pg_temp',
          "add SET search_path = public, pg_temp to the routine: otherwise a caller's objects (a temp table is searched first) run with the owner's rights",
        );
      }
    }
  });

  // clause: t4.security-definer
  it('a temp table named inventory cannot stand in for the real one', async () => {
    const [scarce] = (await seedStockedProducts(db.pool, [{ stock: 1 }])) as [string];
    await asAppRole(async (client) => {
      await client.query(
        'CREATE TEMP TABLE inventory (product_id uuid, quantity integer, updated_at timestamptz DEFAULT now()) ON COMMIT DROP',
      );
      await client.query('INSERT INTO pg_temp.inventory (product_id, quantity) VALUES ($1, 1000)', [scarce]);
      await client.query('SET LOCAL search_path = pg_temp, public');
      const error = await refusal(
        `as ${APP_ROLE} with a temp table inventory (1000 units) shadowing the real one (1 unit): buy 5`,
        () => processOrder(client, buyer, [{ product_id: scarce, quantity: 5 }]),
        SQLSTATE.insufficientStock,
        'pin SET search_path = public, pg_temp on the SECURITY DEFINER procedure so it reads public.inventory whatever the caller set',
      );
      if (!error.message.includes(scarce)) failHaveWant('the refusal names the product', error.message, scarce);
    });
    const stock = (await stockOf(db.pool, [scarce])).get(scarce);
    if (stock !== 1) failHaveWant('real stock after the shadowing attempt', stock, 1);
  });
});
