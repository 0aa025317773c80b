/**
 * An independent model of the shop for model-based checks of the checkout procedure: stock per
 * product, the current catalog price, and every order with the unit price it was sold at.
 * Written from the rules of Task 4, not from the SQL:
 *  - a checkout succeeds only if every line's quantity is in stock; then every line is sold at the
 *    price of the moment and its stock goes down by the quantity;
 *  - otherwise nothing at all changes (no order, no stock change);
 *  - a restock adds units; a price change affects later orders only.
 * Money is BigInt cents; products and buyers are small indices, the spec maps them to ids.
 */

export interface CheckoutLine {
  product: number;
  quantity: number;
}

export interface SoldLine extends CheckoutLine {
  unitPriceCents: bigint;
}

export interface ModelOrder {
  buyer: number;
  lines: SoldLine[];
}

export type CheckoutVerdict =
  | { ok: true; order: ModelOrder }
  | { ok: false; reason: 'insufficient-stock'; shortProducts: number[] };

export interface ModelProduct {
  stock: number;
  priceCents: bigint;
}

export class ShopModel {
  readonly products: ModelProduct[];
  readonly orders: ModelOrder[] = [];
  /** Stock changes so far: one per line sold and one per restock (what the audit log must hold). */
  stockChanges = 0;

  constructor(initial: ModelProduct[]) {
    this.products = initial.map((p) => ({ ...p }));
  }

  checkout(buyer: number, lines: CheckoutLine[]): CheckoutVerdict {
    const shortProducts = lines.filter((l) => this.product(l.product).stock < l.quantity).map((l) => l.product);
    if (shortProducts.length > 0) return { ok: false, reason: 'insufficient-stock', shortProducts };
    const order: ModelOrder = {
      buyer,
      lines: lines.map((l) => ({ ...l, unitPriceCents: this.product(l.product).priceCents })),
    };
    for (const l of lines) this.product(l.product).stock -= l.quantity;
    this.stockChanges += lines.length;
    this.orders.push(order);
    return { ok: true, order };
  }

  restock(product: number, units: number): void {
    this.product(product).stock += units;
    this.stockChanges += 1;
  }

  setPrice(product: number, priceCents: bigint): void {
    this.product(product).priceCents = priceCents;
  }

  private product(index: number): ModelProduct {
    const p = this.products[index];
    if (!p) throw new Error(`the model has no product ${index}`);
    return p;
  }
}

/** "19.99" → 1999n; exact, for numeric values as pg returns them (strings). "19.9900" is accepted. */
export function centsOf(decimal: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2})0*)?$/.exec(decimal.trim());
  if (!match) throw new Error(`not a money amount in whole cents: ${decimal}`);
  const [, sign, whole, fraction = ''] = match;
  const cents = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
  return sign === '-' ? -cents : cents;
}

/** 1999n → "19.99" */
export function formatCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}
