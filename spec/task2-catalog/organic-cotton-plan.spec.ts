/**
 * Task 2 / Hardware Awareness — on a catalog of 20,000 ANALYZEd products, the organic-cotton
 * query reaches products through a GIN index on metadata (a Bitmap Index Scan: the index yields
 * the rows whose metadata contains {"category": "shirt", "material": "organic cotton"}) and never
 * by a Seq Scan; a price range alone is answered by an index too. The GIN exists only on jsonb
 * (json has no GIN operator class and no @>), so this plan is the behavioural proof of both.
 */
import path from 'node:path';
import { beforeAll, describe, inject, it } from 'vitest';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { type ExplainResult, explain, planNodes, relationAccesses } from '../../helpers/plan/explain.js';
import { loadQueryFile, type QueryFile } from '../../helpers/sql/query-file.js';
import { fail, failHaveWant } from '../../helpers/vitest/have-want.js';

const db = useSpecDatabase({ requires: ['products'] });
const PRODUCTS = 20_000;
const QUERY = 'queries/dashboard/organic_cotton_shirts.sql';
let query: QueryFile;

/**
 * 40 categories × 5 materials × prices spread over $5.00..$299.99: organic-cotton shirts are
 * 1 in 200 products (100 here), 14 % of prices fall in $20..$60. Deterministic, so plans repeat.
 */
const BULK_CATALOG = `
INSERT INTO products (sku, name, price, metadata)
SELECT 'BULK-' || g, 'Bulk product ' || g,
       round(5 + ((g::bigint * 7919) % 29500) / 100.0, 2),
       jsonb_build_object(
         'category', (ARRAY['shirt','laptop','gadget','shoes','trousers','jacket','phone','tablet','headphones','watch',
                            'dress','skirt','socks','hat','scarf','bag','wallet','belt','sweater','hoodie',
                            'monitor','keyboard','mouse','camera','lens','speaker','charger','cable','router','drone',
                            'lamp','chair','desk','sofa','rug','pillow','blanket','towel','mug','plate'])[1 + g % 40],
         'material', (ARRAY['organic cotton','cotton','linen','polyester','wool'])[1 + (g / 40) % 5],
         'color', (ARRAY['black','white','navy','red','green','grey'])[1 + (g / 7) % 6],
         'size', (ARRAY['XS','S','M','L','XL'])[1 + (g / 3) % 5])
FROM generate_series(1, ${PRODUCTS}) AS g`;

interface IndexFacts {
  amname: string;
  on_metadata: boolean;
  definition: string;
}

async function indexFacts(index: string): Promise<IndexFacts | undefined> {
  const { rows } = await db.query<IndexFacts>(
    `SELECT am.amname, pg_get_indexdef(i.indexrelid) AS definition,
            EXISTS (SELECT 1 FROM pg_attribute a
                     WHERE a.attrelid = i.indrelid AND a.attname = 'metadata'
                       AND (a.attnum = ANY (i.indkey::int2[]) OR pg_get_expr(i.indexprs, i.indrelid) LIKE '%metadata%')) AS on_metadata
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
      WHERE c.relname = $1 AND c.relnamespace = 'public'::regnamespace`,
    [index],
  );
  return rows[0];
}

function describePlan(plan: ExplainResult): string {
  return (
    relationAccesses(plan.Plan)
      .map((a) => `${a.nodeType} on ${a.relation}${a.index ? ` using ${a.index}` : ''}`)
      .join(', ') || 'no relation scans'
  );
}

beforeAll(async () => {
  const file = path.join(inject('suite').sqlDir, QUERY);
  try {
    query = loadQueryFile(file);
  } catch (error) {
    fail(`cannot read ${file}: ${(error as Error).message}`, `write the Task 2 query in ${QUERY} (see CONTRACT.md)`);
  }
  await db.query(BULK_CATALOG);
  await db.query('VACUUM ANALYZE products');
});

describe('Task 2 · the catalog query is answered by the GIN index', { tags: ['task2', 'hardware-awareness'] }, () => {
  // clause: t2.gin-index t2.query-file
  it(`${PRODUCTS.toLocaleString('en')} ANALYZEd products: Bitmap Index Scan on a GIN index over metadata, no Seq Scan`, async () => {
    const plan = await explain(db.pool, query.sql, [], { analyze: true, buffers: true });
    const products = relationAccesses(plan.Plan).filter((a) => a.relation === 'products');
    const nodeTypes = [...planNodes(plan.Plan)].map((n) => n['Node Type']);
    console.log(
      `[catalog plan] ${PRODUCTS} products: ${nodeTypes.join(' → ')}; ${describePlan(plan)}; execution ${plan['Execution Time']?.toFixed(3)} ms, shared hit ${plan.Plan['Shared Hit Blocks']} read ${plan.Plan['Shared Read Blocks']}`,
    );

    const seq = products.find((a) => a.nodeType === 'Seq Scan');
    if (seq) {
      failHaveWant(
        `plan of ${QUERY} on ${PRODUCTS} products`,
        describePlan(plan),
        'Bitmap Index Scan on a GIN index over products.metadata, no Seq Scan',
        'metadata must be jsonb with CREATE INDEX … USING gin (metadata jsonb_path_ops), and the query must filter with metadata @> \'{"category": "shirt", "material": "organic cotton"}\' (->> equality cannot use the GIN)',
      );
    }
    const bitmapIndexes = products.filter((a) => a.nodeType === 'Bitmap Index Scan' && a.index).map((a) => a.index!);
    const facts = await Promise.all(bitmapIndexes.map(async (index) => ({ index, facts: await indexFacts(index) })));
    if (!facts.some((f) => f.facts?.amname === 'gin' && f.facts.on_metadata)) {
      failHaveWant(
        `plan of ${QUERY} on ${PRODUCTS} products`,
        `${describePlan(plan)}${facts.length ? ` (${facts.map((f) => f.facts?.definition ?? f.index).join('; ')})` : ''}`,
        'a Bitmap Index Scan on a GIN index over products.metadata',
        "CREATE INDEX … ON products USING gin (metadata jsonb_path_ops) and filter with metadata @> '{…}' — a B-tree on price alone still filters every candidate row's JSON",
      );
    }
  });

  it('the query still returns the right rows on the bulk catalog', async () => {
    const { rows } = await db.query(query.sql);
    const { rows: truth } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM products WHERE metadata ->> 'category' = 'shirt' AND metadata ->> 'material' = 'organic cotton' AND price BETWEEN 20.00 AND 60.00`,
    );
    if (rows.length !== truth[0]!.n)
      failHaveWant(
        `${QUERY} on the bulk catalog`,
        `${rows.length} rows`,
        `${truth[0]!.n} rows`,
        'organic-cotton shirts priced from 20.00 to 60.00 inclusive',
      );
  });

  // clause: t2.price-index
  it('a price range alone is answered by an index on products, not a Seq Scan', async () => {
    const sql = 'SELECT product_id, price FROM products WHERE price BETWEEN 20.00 AND 20.49';
    const plan = await explain(db.pool, sql, [], { analyze: true, buffers: true });
    const products = relationAccesses(plan.Plan).filter((a) => a.relation === 'products');
    console.log(`[catalog plan] ${sql}: ${describePlan(plan)}; execution ${plan['Execution Time']?.toFixed(3)} ms`);
    if (products.length === 0 || products.some((a) => a.nodeType === 'Seq Scan')) {
      failHaveWant(
        `plan of "${sql}" on ${PRODUCTS} products`,
        describePlan(plan),
        'an Index Scan, Index Only Scan or Bitmap Index Scan on products',
        'CREATE INDEX … ON products (price) (or a btree_gin GIN that includes price)',
      );
    }
  });
});
