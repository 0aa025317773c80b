/**
 * Deliverable checkout — the rest of process_order's input contract (CONTRACT.md, Task 4): the
 * order of validation when a call has several problems, the `process_order:` message prefix,
 * `p_order_id` as an output only, `2.0` as the quantity 2, and no COMMIT/ROLLBACK of its own.
 */
import { beforeAll, describe, it } from 'vitest';
import { insertProducts, sampleProduct } from '../../helpers/data/contract-rows.js';
import { failHaveWant } from '../../helpers/vitest/have-want.js';
import { refusal } from '../../helpers/vitest/sqlstate.js';
import { processOrder, SQLSTATE, seedBuyers, seedStockedProducts, stockOf, useCheckoutDatabase } from './support/checkout.js';

const db = useCheckoutDatabase();
const UNKNOWN_USER = '0190c3a4-5b6d-7e8f-9a0b-1c2d3e4f5a6b';
const UNKNOWN_PRODUCT = '0190c3a4-5b6d-7e8f-9a0b-ffffffffffff';
let buyer: string;
let scarce: string;
let plenty: string;
let unstocked: string;

beforeAll(async () => {
  [buyer] = (await seedBuyers(db.pool, 1)) as [string];
  [scarce, plenty] = (await seedStockedProducts(db.pool, [{ stock: 1 }, { stock: 50 }])) as [string, string];
  [unstocked] = (await insertProducts(db.pool, [sampleProduct()])) as [string];
});

interface TwoProblems {
  name: string;
  buyer: () => string | null;
  cart: () => unknown;
  /** The SQLSTATE of the problem validated first, and a text naming it. */
  code: string;
  names: () => string;
}

const PRECEDENCE: TwoProblems[] = [
  {
    name: 'NULL buyer and a malformed cart: the NULL first',
    buyer: () => null,
    cart: () => [{ product_id: 'nope', quantity: 0 }],
    code: SQLSTATE.nullValue,
    names: () => 'NULL',
  },
  {
    name: 'unknown buyer and a malformed cart: the cart shape first',
    buyer: () => UNKNOWN_USER,
    cart: () => [{ product_id: plenty, quantity: 0 }],
    code: SQLSTATE.invalidParameter,
    names: () => '0',
  },
  {
    name: 'unknown buyer and an unknown product: the buyer first',
    buyer: () => UNKNOWN_USER,
    cart: () => [{ product_id: UNKNOWN_PRODUCT, quantity: 1 }],
    code: SQLSTATE.unknownReference,
    names: () => UNKNOWN_USER,
  },
  {
    name: 'an unstocked product on line 1, an unknown product on line 2: the products before their inventory rows',
    buyer: () => buyer,
    cart: () => [
      { product_id: unstocked, quantity: 1 },
      { product_id: UNKNOWN_PRODUCT, quantity: 1 },
    ],
    code: SQLSTATE.unknownReference,
    names: () => UNKNOWN_PRODUCT,
  },
  {
    name: 'a short line and an unstocked product: the inventory rows before the stock',
    buyer: () => buyer,
    cart: () => [
      { product_id: scarce, quantity: 5 },
      { product_id: unstocked, quantity: 1 },
    ],
    code: SQLSTATE.notStocked,
    names: () => unstocked,
  },
];

describe('Atomic checkout · input contract', { tags: ['task4', 'deliverable-checkout'] }, () => {
  // clause: t4.error-order
  it.each(PRECEDENCE.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const error = await refusal(
      `CALL process_order with two problems — ${c.name}`,
      () => processOrder(db.pool, c.buyer(), c.cart()),
      c.code,
      'validate in the documented order: NULLs, the cart shape line by line, the buyer, the products, their inventory rows, the stock',
    );
    if (!error.message.includes(c.names()))
      failHaveWant(`the message names the first problem (${c.name})`, error.message, `a message containing ${c.names()}`);
  });

  // clause: t4.err.messages
  it('every refusal message starts with "process_order:"', async () => {
    const calls: [string, () => Promise<unknown>][] = [
      ['NULL cart', () => processOrder(db.pool, buyer, null)],
      ['empty cart', () => processOrder(db.pool, buyer, [])],
      ['unknown buyer', () => processOrder(db.pool, UNKNOWN_USER, [{ product_id: plenty, quantity: 1 }])],
      ['sold out', () => processOrder(db.pool, buyer, [{ product_id: scarce, quantity: 2 }])],
    ];
    for (const [what, call] of calls) {
      const error = await call().then(
        () => undefined,
        (e: Error) => e,
      );
      if (!error?.message.startsWith('process_order:'))
        failHaveWant(
          `the message of "${what}"`,
          error?.message ?? 'no error',
          'a message starting with "process_order:"',
          "start every RAISE message with 'process_order: '",
        );
    }
  });

  // clause: t4.order-id-output t4.procedure
  it('whatever is passed as p_order_id is ignored: the new order gets an id of its own', async () => {
    const passed = '0190c3a4-0000-7000-8000-000000000001';
    const { rows } = await db.query<{ p_order_id: string }>('CALL process_order($1::uuid, $2::jsonb, $3::uuid)', [
      buyer,
      JSON.stringify([{ product_id: plenty, quantity: 1 }]),
      passed,
    ]);
    const id = rows[0]?.p_order_id;
    const { rows: found } = await db.query('SELECT 1 FROM orders WHERE order_id = $1::uuid AND user_id = $2::uuid', [id, buyer]);
    if (!id || id === passed || found.length !== 1)
      failHaveWant(
        'CALL process_order(buyer, cart, <an id>) — the id returned',
        id ?? 'none',
        `the id of a new order of the buyer, not ${passed}`,
        'treat p_order_id as an output only: assign it from INSERT … RETURNING',
      );
  });

  // clause: t4.cart-shape
  it('2.0 is the same quantity as 2', async () => {
    const before = (await stockOf(db.pool, [plenty])).get(plenty)!;
    await processOrder(db.pool, buyer, `[{"product_id": "${plenty}", "quantity": 2.0}]`);
    const after = (await stockOf(db.pool, [plenty])).get(plenty)!;
    if (before - after !== 2)
      failHaveWant('stock taken by a line with "quantity": 2.0', before - after, 2, 'accept any JSON number with a whole value');
  });

  // clause: t4.no-commit
  it('called inside BEGIN … ROLLBACK it commits nothing of its own', async () => {
    const client = await db.connect();
    const before = (await stockOf(db.pool, [plenty])).get(plenty)!;
    try {
      await client.query('BEGIN');
      await processOrder(client, buyer, [{ product_id: plenty, quantity: 1 }]);
      await client.query('ROLLBACK');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      failHaveWant(
        'CALL process_order inside BEGIN … ROLLBACK',
        (error as Error).message,
        'the call succeeds and the rollback undoes it',
        'issue no COMMIT or ROLLBACK inside the procedure',
      );
    }
    const after = (await stockOf(db.pool, [plenty])).get(plenty)!;
    if (after !== before)
      failHaveWant('stock after the caller rolled back', after, before, 'issue no COMMIT inside the procedure');
  });
});
