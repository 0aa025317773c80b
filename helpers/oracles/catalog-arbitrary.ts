/**
 * fast-check catalogs for the organic-cotton query: matches and near-misses side by side —
 * the wrong material or category, other spellings and cases, the right values nested one level
 * down or wrapped in arrays, prices exactly at $20.00 and $60.00 and a cent outside, and
 * metadata with extra keys (nested objects and arrays included).
 */
import fc from 'fast-check';
import type { CatalogProduct } from './catalog.js';
import { formatCents } from './decimal.js';

const category = fc.constantFrom<unknown>(
  'shirt',
  'shirt',
  'shirt',
  'Shirt',
  'shirts',
  't-shirt',
  'trousers',
  ['shirt'],
  { name: 'shirt' },
  undefined,
);
const material = fc.constantFrom<unknown>(
  'organic cotton',
  'organic cotton',
  'organic cotton',
  'Organic Cotton',
  'cotton',
  'organic cotton blend',
  'organic',
  ['organic cotton'],
  { fibre: 'organic cotton' },
  true,
  undefined,
);

const extras = fc.record(
  {
    color: fc.constantFrom('black', 'white', 'navy'),
    sizes: fc.constant(['S', 'M', 'L']),
    care: fc.constant({ wash_celsius: 30, tumble_dry: false }),
    organic: fc.boolean(),
    fabric: fc.constant('organic cotton'),
    // the right pair, but one level down: not a top-level match
    details: fc.constant({ category: 'shirt', material: 'organic cotton' }),
  },
  { requiredKeys: [] },
);

const price = fc.oneof(
  fc.constantFrom('20.00', '60.00', '19.99', '60.01', '20.01', '59.99', '0.00'),
  fc.bigInt({ min: 0n, max: 20_000n }).map(formatCents),
);

const metadata = fc.record({ category, material, extras }).map(({ category: c, material: m, extras: e }) => {
  const document: Record<string, unknown> = { ...e };
  if (c !== undefined) document['category'] = c;
  if (m !== undefined) document['material'] = m;
  return document;
});

export const catalog: fc.Arbitrary<CatalogProduct[]> = fc
  .array(fc.record({ price, metadata }), { maxLength: 30 })
  .map((products) => products.map((p, i) => ({ sku: `CATALOG-${i + 1}`, price: p.price, metadata: p.metadata })));
