/**
 * The checkout contract as the Task 4 specs use it (CONTRACT.md (Task 4)): the call, the cart
 * format, the documented SQLSTATEs, and seeding of buyers and stocked products.
 */
import { afterAll, beforeAll } from 'vitest';
import { insertProducts, insertUsers, sampleProduct, sampleUser } from '../../../helpers/data/contract-rows.js';
import type { Queryable } from '../../../helpers/db/queryable.js';
import { type SpecDatabase, useSpecDatabase } from '../../../helpers/db/spec-database.js';
import { closeSessions, openSessions, type Session } from '../../../helpers/race/sessions.js';

export interface CartLine {
  product_id: string;
  quantity: number;
}

/** What every checkout spec needs the solution to define (useSpecDatabase's `requires`). */
export const CHECKOUT_OBJECTS = ['users', 'products', 'inventory', 'orders', 'order_items', 'audit_logs', 'process_order()'];

/** The spec file's database, refusing to run checks when the solution lacks a checkout object. */
export function useCheckoutDatabase(): SpecDatabase {
  return useSpecDatabase({ requires: CHECKOUT_OBJECTS });
}

/**
 * The race specs' setup: the checkout database, `buyerCount` buyers and `sessionCount` sessions of
 * their own (see useBuyersOnSessions).
 */
export function useCheckoutRace(
  buyerCount: number,
  sessionCount = buyerCount,
): { db: SpecDatabase; buyers: string[]; sessions: Session[] } {
  const db = useCheckoutDatabase();
  return { db, ...useBuyersOnSessions(db, buyerCount, sessionCount) };
}

/**
 * Seeds `buyerCount` buyers and opens `sessionCount` sessions for the spec file (filled in place
 * before the first check, closed after the last).
 */
export function useBuyersOnSessions(
  db: SpecDatabase,
  buyerCount: number,
  sessionCount = buyerCount,
): { buyers: string[]; sessions: Session[] } {
  const buyers: string[] = [];
  const sessions: Session[] = [];
  beforeAll(async () => {
    buyers.push(...(await seedBuyers(db.pool, buyerCount)));
    sessions.push(...(await openSessions(db, sessionCount)));
  });
  afterAll(() => closeSessions(sessions));
  return { buyers, sessions };
}

/** Documented SQLSTATEs of process_order. */
export const SQLSTATE = {
  insufficientStock: 'SK001',
  notStocked: 'SK002',
  nullValue: '22004',
  invalidParameter: '22023',
  outOfRange: '22003',
  unknownReference: '23503',
  deadlock: '40P01',
  insufficientPrivilege: '42501',
} as const;

export const CALL_PROCESS_ORDER = 'CALL process_order($1::uuid, $2::jsonb)';

/** CALL process_order; returns the new order's id. `cart` is sent as JSON (a string is sent as-is). */
export async function processOrder(db: Queryable, userId: string | null, cart: unknown): Promise<string> {
  const json = cart === null ? null : typeof cart === 'string' ? cart : JSON.stringify(cart);
  const { rows } = await db.query<{ p_order_id: string | null }>(CALL_PROCESS_ORDER, [userId, json]);
  const orderId = rows[0]?.p_order_id;
  if (!orderId) throw Object.assign(new Error('process_order returned no order id'), { code: 'NO_ORDER_ID' });
  return orderId;
}

export async function seedBuyers(db: Queryable, count: number): Promise<string[]> {
  return insertUsers(
    db,
    Array.from({ length: count }, () => sampleUser()),
  );
}

/** A shop to check against: `buyerCount` buyers, then the given stocked products. */
export async function seedShop(
  db: Queryable,
  buyerCount: number,
  items: { stock: number; price?: string }[],
): Promise<{ buyers: string[]; products: string[] }> {
  const buyers = await seedBuyers(db, buyerCount);
  return { buyers, products: await seedStockedProducts(db, items) };
}

/** Products with their stock; price is a decimal string (default 10.00). */
export async function seedStockedProducts(db: Queryable, items: { stock: number; price?: string }[]): Promise<string[]> {
  const ids = await insertProducts(
    db,
    items.map((i) => sampleProduct({ price: i.price ?? '10.00' })),
  );
  await db.query(`INSERT INTO inventory (product_id, quantity) SELECT * FROM unnest($1::uuid[], $2::int[])`, [
    ids,
    items.map((i) => i.stock),
  ]);
  return ids;
}

export async function stockOf(db: Queryable, productIds: string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ product_id: string; quantity: number }>(
    'SELECT product_id, quantity FROM inventory WHERE product_id = ANY ($1::uuid[])',
    [productIds],
  );
  return new Map(rows.map((r) => [r.product_id, r.quantity]));
}

export interface AuditRow {
  operation: string;
  product_id: string;
  before_quantity: number | null;
  after_quantity: number | null;
  before_state: Record<string, unknown> | null;
  after_state: Record<string, unknown> | null;
}

/**
 * The audit log's primary key columns, quoted: CONTRACT.md leaves the key column's name open and
 * promises only a surrogate UUID v7 (time-ordered), which breaks ties between rows of one transaction.
 */
async function auditKeyColumns(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ columns: string | null }>(
    `SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord) AS columns
       FROM pg_index AS i
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = 'public.audit_logs'::regclass AND i.indisprimary`,
  );
  return rows[0]?.columns ?? 'changed_at';
}

/** audit_logs rows about the given products' inventory rows, oldest first. */
export async function inventoryAudit(db: Queryable, productIds: string[], operation = 'UPDATE'): Promise<AuditRow[]> {
  const key = await auditKeyColumns(db);
  const { rows } = await db.query<AuditRow>(
    `SELECT operation,
            coalesce(after_state, before_state) ->> 'product_id' AS product_id,
            (before_state ->> 'quantity')::int AS before_quantity,
            (after_state ->> 'quantity')::int AS after_quantity,
            before_state, after_state
       FROM audit_logs
      WHERE table_name = 'inventory' AND operation = $2
        AND coalesce(after_state, before_state) ->> 'product_id' = ANY ($1::text[])
      ORDER BY changed_at, ${key}`,
    [productIds, operation],
  );
  return rows;
}
