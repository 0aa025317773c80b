/**
 * Hardware Awareness / Task 2 — why JSONB and not JSON, shown by behaviour. JSONB stores the
 * document decomposed into binary form when it is written: duplicate keys are resolved (the last
 * wins), whitespace and key order are not kept, and containment (@>) is an operator on it. JSON
 * stores the text as typed and parses it again on every read; it has no @>.
 */
import { describe, it } from 'vitest';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { fail, failHaveWant } from '../../helpers/vitest/have-want.js';

const db = useSpecDatabase({ requires: ['products'] });
/** As a client would send it: a duplicate key, odd spacing, keys out of order. */
const TYPED = '{"material": "cotton",   "category":"shirt", "material": "organic cotton"}';

describe('Hardware awareness · products.metadata is stored as JSONB', { tags: ['task2', 'hardware-awareness'] }, () => {
  // clause: t2.jsonb-object
  it('the document is decomposed on write: the duplicate key is resolved and the typed text is not kept', async () => {
    await db.query(`INSERT INTO products (sku, name, price, metadata) VALUES ('JSONB-PROOF-1', 'JSONB proof', 25.00, $1)`, [
      TYPED,
    ]);
    const { rows } = await db.query<{ stored: string; material: string | null }>(
      `SELECT metadata::text AS stored, metadata ->> 'material' AS material FROM products WHERE sku = 'JSONB-PROOF-1'`,
    );
    const { stored, material } = rows[0]!;
    if (stored === TYPED) {
      failHaveWant(
        'products.metadata read back',
        stored,
        'a normalised document such as {"category": "shirt", "material": "organic cotton"}',
        'declare metadata jsonb, not json: json keeps the raw text and re-parses it on every read',
      );
    }
    if (material !== 'organic cotton' || (stored.match(/"material"/g) ?? []).length !== 1) {
      failHaveWant(
        'the duplicate key "material"',
        stored,
        'one "material" key holding the last value, "organic cotton"',
        'declare metadata jsonb',
      );
    }
  });

  // clause: t2.jsonb-object
  it('containment (@>) works on the column itself, without a cast', async () => {
    try {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM products WHERE metadata @> '{"material": "organic cotton"}'`,
      );
      if (rows[0]!.n < 1) fail('metadata @> \'{"material": "organic cotton"}\' found nothing', 'declare metadata jsonb');
    } catch (error) {
      failHaveWant(
        "SELECT … WHERE metadata @> '{…}'",
        (error as Error).message,
        'the jsonb containment operator',
        'declare metadata jsonb: json has no @> operator and no GIN operator class',
      );
    }
  });
});
