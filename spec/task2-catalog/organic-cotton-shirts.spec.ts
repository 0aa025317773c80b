/**
 * Task 2 — the organic-cotton query file (sql/queries/dashboard/organic_cotton_shirts.sql)
 * returns exactly the products the oracle (helpers/oracles/catalog.ts) picks from random
 * catalogs full of near-misses: wrong or differently spelt material and category, the right
 * values nested or in arrays, prices at exactly $20.00 and $60.00 and one cent outside.
 */

import path from 'node:path';
import fc from 'fast-check';
import type pg from 'pg';
import { beforeAll, describe, inject, it } from 'vitest';
import { insertProducts } from '../../helpers/data/contract-rows.js';
import { inRolledBackTransaction } from '../../helpers/db/order-history-rows.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { organicCottonShirtsFrom20To60 } from '../../helpers/oracles/catalog.js';
import { catalog } from '../../helpers/oracles/catalog-arbitrary.js';
import { loadQueryFile, type QueryFile } from '../../helpers/sql/query-file.js';
import { expectSameRows } from '../../helpers/vitest/compare-rows.js';
import { fail } from '../../helpers/vitest/have-want.js';
import { propertyOptions } from '../../helpers/vitest/property.js';

const db = useSpecDatabase({ requires: ['products'] });
const RUNS = 150;
const QUERY = 'queries/dashboard/organic_cotton_shirts.sql';
let client: pg.Client;
let query: QueryFile;

beforeAll(async () => {
  client = await db.connect();
  const file = path.join(inject('suite').sqlDir, QUERY);
  try {
    query = loadQueryFile(file);
  } catch (error) {
    fail(`cannot read ${file}: ${(error as Error).message}`, `write the Task 2 query in ${QUERY} (see CONTRACT.md)`);
  }
});

describe('Task 2 · organic-cotton shirts from $20 to $60', { tags: ['task2'] }, () => {
  // clause: t2.query-file t2.match-rule t2.metadata-keys
  it(`${QUERY} returns exactly the oracle's products (${RUNS} random catalogs with near-misses)`, async () => {
    await fc.assert(
      fc.asyncProperty(catalog, async (products) =>
        inRolledBackTransaction(client, async () => {
          const ids = await insertProducts(
            client,
            products.map((p) => ({ ...p, name: `Catalog product ${p.sku}` })),
          );
          const skuOf = new Map(ids.map((id, i) => [id, products[i]!.sku]));
          const { rows } = await client.query<{ product_id?: string }>(query.sql);
          if (rows.length > 0 && !('product_id' in rows[0]!))
            fail(`${QUERY} returns no product_id column`, 'select p.product_id (and whatever else the dashboard shows)');
          const have = rows.map((r) => skuOf.get(r.product_id!) ?? `unknown product ${r.product_id}`).sort();
          const want = organicCottonShirtsFrom20To60(products);
          const catalogText = products.map((p) => `  ${p.sku}  ${p.price}  ${JSON.stringify(p.metadata)}`).join('\n');
          expectSameRows(
            QUERY,
            have,
            want,
            'metadata @> \'{"category": "shirt", "material": "organic cotton"}\' AND price BETWEEN 20.00 AND 60.00 (both ends included; top-level keys, exact lower-case strings)',
            catalogText,
          );
        }),
      ),
      propertyOptions({ numRuns: RUNS }),
    );
  });
});
