/**
 * Deliverable checkout — bad input is refused with the documented SQLSTATE and a message naming
 * the offending value, and changes nothing (every table's checksum is the same afterwards).
 * The classes (CONTRACT.md (Task 4)): NULL or unknown buyer, cart not an array, empty cart,
 * malformed line, bad product id, quantity zero / negative / fractional / not a number / beyond
 * the integer range, duplicate product lines (rejected, not merged), unknown product, product
 * without an inventory row.
 */
import { beforeAll, describe, it } from 'vitest';
import { insertProducts, sampleProduct } from '../../helpers/data/contract-rows.js';
import { failHaveWant } from '../../helpers/vitest/have-want.js';
import { refusal } from '../../helpers/vitest/sqlstate.js';
import { processOrder, SQLSTATE, seedBuyers, seedStockedProducts, useCheckoutDatabase } from './support/checkout.js';
import { changedTables, tableChecksums } from './support/table-checksums.js';

const db = useCheckoutDatabase();
const UNKNOWN = '0190c3a4-5b6d-7e8f-9a0b-1c2d3e4f5a6b';
let buyer: string;
let stocked: string;
let other: string;
let unstocked: string;

beforeAll(async () => {
  [buyer] = (await seedBuyers(db.pool, 1)) as [string];
  [stocked, other] = (await seedStockedProducts(db.pool, [{ stock: 5 }, { stock: 5 }])) as [string, string];
  [unstocked] = (await insertProducts(db.pool, [sampleProduct()])) as [string];
  await processOrder(db.pool, buyer, [{ product_id: stocked, quantity: 1 }]); // history that must stay as it is
});

interface BadInput {
  name: string;
  buyer?: () => string | null;
  /** The cart as sent (JSON text or a value to stringify). */
  cart: () => unknown;
  code: string;
  /** A text the message must contain: the offending value (a number must stand as a token of its own). */
  names: () => string;
}

const line =
  (quantity: unknown, product = () => stocked) =>
  () => [{ product_id: product(), quantity }];

const CASES: BadInput[] = [
  // clause: t4.err.null
  { name: 'NULL buyer', buyer: () => null, cart: line(1), code: SQLSTATE.nullValue, names: () => 'NULL' },
  // clause: t4.err.unknown-buyer
  { name: 'unknown buyer', buyer: () => UNKNOWN, cart: line(1), code: SQLSTATE.unknownReference, names: () => UNKNOWN },
  // clause: t4.err.null
  { name: 'NULL cart', cart: () => null, code: SQLSTATE.nullValue, names: () => 'NULL' },
  {
    // clause: t4.err.not-array
    name: 'cart is an object, not an array',
    cart: () => ({ product_id: stocked, quantity: 1 }),
    code: SQLSTATE.invalidParameter,
    names: () => 'object',
  },
  // clause: t4.err.not-array
  { name: 'cart is a string', cart: () => '"two shirts"', code: SQLSTATE.invalidParameter, names: () => 'two shirts' },
  // clause: t4.err.empty
  { name: 'empty cart', cart: () => [], code: SQLSTATE.invalidParameter, names: () => '[]' },
  // clause: t4.err.line-shape
  { name: 'line is not an object', cart: () => [42], code: SQLSTATE.invalidParameter, names: () => '42' },
  // clause: t4.err.product-id
  { name: 'line without product_id', cart: () => [{ quantity: 1 }], code: SQLSTATE.invalidParameter, names: () => 'product_id' },
  {
    // clause: t4.err.product-id
    name: 'product_id is not a uuid',
    cart: () => [{ product_id: 'shirt-42', quantity: 1 }],
    code: SQLSTATE.invalidParameter,
    names: () => 'shirt-42',
  },
  {
    // clause: t4.err.quantity
    name: 'line without quantity',
    cart: () => [{ product_id: stocked }],
    code: SQLSTATE.invalidParameter,
    names: () => 'quantity',
  },
  {
    // clause: t4.err.line-shape
    name: 'line with an unknown key',
    cart: () => [{ product_id: stocked, qty: 1 }],
    code: SQLSTATE.invalidParameter,
    names: () => 'qty',
  },
  // clause: t4.err.quantity
  { name: 'quantity is a string', cart: line('2'), code: SQLSTATE.invalidParameter, names: () => '"2"' },
  // clause: t4.err.quantity
  { name: 'quantity is null', cart: line(null), code: SQLSTATE.invalidParameter, names: () => 'null' },
  // clause: t4.err.quantity
  { name: 'quantity zero', cart: line(0), code: SQLSTATE.invalidParameter, names: () => '0' },
  // clause: t4.err.quantity
  { name: 'quantity negative', cart: line(-3), code: SQLSTATE.invalidParameter, names: () => '-3' },
  // clause: t4.err.quantity
  { name: 'quantity fractional', cart: line(1.5), code: SQLSTATE.invalidParameter, names: () => '1.5' },
  {
    // clause: t4.err.out-of-range
    name: 'quantity just beyond the integer range',
    cart: line(2147483648),
    code: SQLSTATE.outOfRange,
    names: () => '2147483648',
  },
  // clause: t4.err.out-of-range
  { name: 'quantity far beyond the integer range', cart: line(1e15), code: SQLSTATE.outOfRange, names: () => '1000000000000000' },
  {
    // clause: t4.err.duplicate t4.duplicates-rejected
    name: 'duplicate product lines (rejected, not merged)',
    cart: () => [
      { product_id: stocked, quantity: 1 },
      { product_id: other, quantity: 1 },
      { product_id: stocked, quantity: 2 },
    ],
    code: SQLSTATE.invalidParameter,
    names: () => stocked,
  },
  // clause: t4.err.unknown-product
  { name: 'unknown product', cart: line(1, () => UNKNOWN), code: SQLSTATE.unknownReference, names: () => UNKNOWN },
  // clause: t4.err.not-stocked
  { name: 'product without an inventory row', cart: line(1, () => unstocked), code: SQLSTATE.notStocked, names: () => unstocked },
  {
    // clause: t4.error-order t4.err.quantity
    name: 'a good line followed by a malformed one',
    cart: () => [
      { product_id: other, quantity: 1 },
      { product_id: stocked, quantity: 0 },
    ],
    code: SQLSTATE.invalidParameter,
    names: () => '0',
  },
  {
    // clause: t4.err.insufficient t4.cart-shape
    name: 'largest integer quantity is valid input, but not in stock',
    cart: line(2147483647),
    code: SQLSTATE.insufficientStock,
    names: () => '2147483647',
  },
];

/** Does `message` contain `value` as a token of its own (not inside a longer number or a uuid)? */
function mentions(message: string, value: string): boolean {
  if (!/^-?[0-9.]+$/.test(value)) return message.includes(value);
  const escaped = value.replace(/[.]/g, '\\.');
  return new RegExp(`(^|[^0-9A-Za-z.])${escaped}($|[^0-9A-Za-z])`).test(message);
}

describe('Atomic checkout · bad input', { tags: ['task4', 'deliverable-checkout'] }, () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s → documented SQLSTATE, nothing changed', async (_name, c) => {
    const cart = c.cart();
    const sent = cart === null ? 'NULL' : typeof cart === 'string' ? cart : JSON.stringify(cart);
    const who = c.buyer ? c.buyer() : buyer;
    const before = await tableChecksums(db.pool);
    const error = await refusal(
      `CALL process_order(${who === null ? 'NULL' : 'buyer'}, ${sent.length > 120 ? `${sent.slice(0, 120)}…` : sent}) — ${c.name}`,
      () => processOrder(db.pool, who, cart),
      c.code,
      `refuse it with RAISE EXCEPTION USING ERRCODE = '${c.code}' (the SQLSTATE documented for "${c.name}")`,
    );
    const value = c.names();
    if (!mentions(error.message, value))
      failHaveWant(
        `the message for "${c.name}" names the offending value`,
        error.message,
        `a message containing ${value}`,
        "name the value in the message, e.g. format('… %s …', value)",
      );
    const changed = changedTables(before, await tableChecksums(db.pool));
    if (changed.length > 0)
      failHaveWant(
        `tables changed by the refused call (${c.name})`,
        changed,
        'none',
        'validate before writing anything, and raise (never swallow) the error',
      );
  });
});

describe('Atomic checkout · what is not bad input', { tags: ['task4', 'deliverable-checkout'] }, () => {
  it('a product_id in upper-case hex is the same product (uuid text is case-insensitive)', async () => {
    const orderId = await processOrder(db.pool, buyer, [{ product_id: other.toUpperCase(), quantity: 1 }]).catch(
      (error: Error & { code?: string }) =>
        failHaveWant(
          'CALL process_order with an upper-case product_id',
          `SQLSTATE ${error.code}: ${error.message}`,
          'an order',
          'accept the canonical 8-4-4-4-12 form in either case, as PostgreSQL’s uuid input does',
        ),
    );
    const { rows } = await db.query<{ product_id: string }>('SELECT product_id::text FROM order_items WHERE order_id = $1', [
      orderId,
    ]);
    if (rows.length !== 1 || rows[0]!.product_id !== other)
      failHaveWant('the line of that order', rows, [{ product_id: other }], 'store the uuid value, not the text as sent');
  });
});
