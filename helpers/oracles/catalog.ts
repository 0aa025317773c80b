/**
 * Task 2 oracle, written from the documented metadata shape (CONTRACT.md), not from
 * the SQL: an organic-cotton shirt has the top-level string "shirt" under "category" and the
 * top-level string "organic cotton" under "material", exactly (case and spelling). Other keys do
 * not matter. The query wants those priced from $20.00 to $60.00, both ends included.
 */
import { toCents } from './decimal.js';

export interface CatalogProduct {
  sku: string;
  price: string;
  metadata: Record<string, unknown>;
}

export const ORGANIC_COTTON_SHIRT = { category: 'shirt', material: 'organic cotton' } as const;
export const PRICE_FLOOR_CENTS = 2000n;
export const PRICE_CEILING_CENTS = 6000n;

export function isOrganicCottonShirt(metadata: Record<string, unknown>): boolean {
  return metadata['category'] === ORGANIC_COTTON_SHIRT.category && metadata['material'] === ORGANIC_COTTON_SHIRT.material;
}

export function isInPriceRange(price: string): boolean {
  const cents = toCents(price);
  return cents >= PRICE_FLOOR_CENTS && cents <= PRICE_CEILING_CENTS;
}

/** The SKUs the organic-cotton-shirt query must return, sorted. */
export function organicCottonShirtsFrom20To60(products: readonly CatalogProduct[]): string[] {
  return products
    .filter((p) => isOrganicCottonShirt(p.metadata) && isInPriceRange(p.price))
    .map((p) => p.sku)
    .sort();
}
