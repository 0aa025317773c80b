/**
 * Normalization fidelity through the checkout: the same rules as normalization.spec.ts (personal
 * data in users only, no user or product attribute copied into orders / order_items but the
 * price snapshot), with the orders placed by CALL process_order, so columns a solution fills
 * only in its procedure are seen too.
 */
import { describe, it } from 'vitest';
import { copiedAttributes, firstPiiOutsideUsers, CONTRACT_JOIN_PATHS as PATHS } from '../../helpers/catalog/copied-attributes.js';
import { insertProducts, insertUsers, sampleProduct, sampleUser } from '../../helpers/data/contract-rows.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { failHaveWant } from '../../helpers/vitest/have-want.js';

const db = useSpecDatabase({
  requires: ['users', 'products', 'inventory', 'orders', 'order_items', 'audit_logs', 'process_order()'],
});

describe('Normalization fidelity · orders placed by process_order copy no personal data', {
  tags: ['normalization-fidelity', 'task1'],
}, () => {
  // clause: t1.pii-only-users t1.no-copied-attributes
  it('after checkouts by five customers, no PII outside users and no copied attribute', async () => {
    const users = Array.from({ length: 5 }, (_, i) =>
      sampleUser({ phone: `+3519100000${i}`, street_address: `${i + 1} Rua Augusta`, full_name: `Checkout Buyer ${i}` }),
    );
    const userIds = await insertUsers(db.pool, users);
    const products = Array.from({ length: 4 }, (_, i) => sampleProduct({ price: `${10 + i * 3}.50`, name: `Lamp model ${i}` }));
    const productIds = await insertProducts(db.pool, products, 1000);
    for (const [k, user] of userIds.entries())
      for (let n = 0; n < 2; n++)
        await db.query('CALL process_order($1::uuid, $2::jsonb)', [
          user,
          JSON.stringify([
            { product_id: productIds[(k + n) % 4], quantity: 1 + n },
            { product_id: productIds[(k + n + 1) % 4], quantity: 1 },
          ]),
        ]);
    const pii = users.flatMap((u) => [u.email, u.full_name, u.phone!, u.street_address!]);
    const leak = await firstPiiOutsideUsers(db, pii);
    if (leak)
      failHaveWant(
        `PII outside users after CALL process_order: table ${leak.table}`,
        `a row containing "${leak.value}": ${leak.row}`,
        'personal data only in users, reached through user_id',
        `do not copy the buyer's data into ${leak.table} in process_order; join users when you need it`,
      );
    for (const copy of await copiedAttributes(db, PATHS))
      failHaveWant(
        `attribute copied into ${copy.child} by process_order`,
        `${copy.child}.${copy.childColumn} equals ${copy.parent}.${copy.parentColumn} on all ${copy.rows} rows`,
        `${copy.child} holds only keys and its own facts (and the unit_price snapshot)`,
        `drop ${copy.child}.${copy.childColumn}; read ${copy.parent}.${copy.parentColumn} through the foreign key (3NF)`,
      );
  });
});
