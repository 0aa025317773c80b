/**
 * Criterion "Normalization Fidelity: no PII data should be duplicated across tables", property-based.
 * Random customers with random personal data buy random products; afterwards
 *  - no email, name, phone or street address appears in any table other than users, and
 *  - no non-key attribute of a user or product is copied into orders / order_items, except the
 *    documented price snapshot (order_items.unit_price ← products.price).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { copiedAttributes, firstPiiOutsideUsers, CONTRACT_JOIN_PATHS as PATHS } from '../../helpers/catalog/copied-attributes.js';
import { insertOrder, insertProducts, insertUsers, type UserRow } from '../../helpers/data/contract-rows.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { failHaveWant } from '../../helpers/vitest/have-want.js';
import { propertyOptions } from '../../helpers/vitest/property.js';

const db = useSpecDatabase({ requires: ['users', 'products', 'inventory', 'orders', 'order_items', 'audit_logs'] });

const word = fc.stringMatching(/^[A-Z][a-z]{3,9}$/);
const userArb = fc.record({
  first: word,
  last: word,
  phone: fc.stringMatching(/^\+[1-9][0-9]{9,12}$/),
  street: fc.tuple(fc.integer({ min: 1, max: 9999 }), word).map(([n, w]) => `${n} ${w} Street`),
  postal: fc.stringMatching(/^[0-9]{4}-[0-9]{3}$/),
  city: word,
  country: fc.constantFrom('PT', 'DE', 'US', 'BR', 'JP'),
  channel: fc.constantFrom('web', 'ios', 'android' as const),
  registeredDay: fc.integer({ min: 0, max: 700 }),
});
const shopArb = fc.record({
  users: fc.array(userArb, { minLength: 3, maxLength: 8 }),
  products: fc.array(fc.record({ name: word, cents: fc.integer({ min: 0, max: 500_00 }), color: word }), {
    minLength: 3,
    maxLength: 8,
  }),
  orders: fc.array(
    fc.record({
      buyer: fc.nat(),
      day: fc.integer({ min: 0, max: 700 }),
      lines: fc.uniqueArray(fc.record({ product: fc.nat(), quantity: fc.integer({ min: 1, max: 5 }) }), {
        selector: (l) => l.product % 3,
        minLength: 1,
        maxLength: 3,
      }),
    }),
    { minLength: 4, maxLength: 12 },
  ),
});

describe('Normalization fidelity · personal data lives in users only', { tags: ['normalization-fidelity', 'task1'] }, () => {
  // clause: t1.pii-only-users t1.no-copied-attributes
  it('no PII value and no user/product attribute is copied outside its table (property-based)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(shopArb, async (shop) => {
        run++;
        await db.query('TRUNCATE users, products, inventory, orders, order_items, audit_logs CASCADE');
        const users: UserRow[] = shop.users.map((u, i) => ({
          email: `${u.first}.${u.last}.${run}.${i}@mail.example`.toLowerCase(),
          full_name: `${u.first} ${u.last}-${run}${i}`,
          phone: `${u.phone}${i}`,
          street_address: `${u.street} ${run}${i}`,
          postal_code: u.postal,
          city: u.city,
          country_code: u.country,
          registered_at: new Date(Date.UTC(2024, 0, 1) + u.registeredDay * 86_400_000 + i * 1000).toISOString(),
          signup_channel: u.channel,
        }));
        // separate statements (autocommit): defaulted timestamps differ between tables
        const userIds = await insertUsers(db.pool, users);
        const products = shop.products.map((p, i) => ({
          sku: `NRM-${run}-${i}`,
          name: `${p.name} Gadget ${i}`,
          price: (p.cents / 100).toFixed(2),
          metadata: { color: p.color },
        }));
        const productIds = await insertProducts(db.pool, products, 1000);
        for (const [k, order] of shop.orders.entries()) {
          const lines = order.lines.map((l) => {
            const p = l.product % productIds.length;
            return { product_id: productIds[p]!, quantity: l.quantity, unit_price: products[p]!.price };
          });
          const unique = [...new Map(lines.map((l) => [l.product_id, l])).values()];
          await insertOrder(
            db.pool,
            userIds[order.buyer % userIds.length]!,
            new Date(Date.UTC(2025, 0, 1) + order.day * 86_400_000 + k * 60_000).toISOString(),
            unique,
          );
        }

        const pii = users.flatMap((u) => [u.email, u.full_name, u.phone!, u.street_address!]);
        const leak = await firstPiiOutsideUsers(db, pii);
        if (leak)
          failHaveWant(
            `PII outside users: table ${leak.table}`,
            `a row containing "${leak.value}": ${leak.row}`,
            'personal data only in users, reached through user_id',
            `drop the copied column from ${leak.table} and join users when you need it`,
          );
        for (const copy of await copiedAttributes(db, PATHS)) {
          failHaveWant(
            `attribute copied into ${copy.child}`,
            `${copy.child}.${copy.childColumn} equals ${copy.parent}.${copy.parentColumn} on all ${copy.rows} rows`,
            `${copy.child} holds only keys and its own facts`,
            `drop ${copy.child}.${copy.childColumn}; read ${copy.parent}.${copy.parentColumn} through the foreign key (3NF)`,
          );
        }
      }),
      propertyOptions({ numRuns: 60 }),
    );
  });
});
