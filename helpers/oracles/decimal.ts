/**
 * Exact decimal arithmetic for money. PostgreSQL numeric arrives from `pg` as a string; here it
 * becomes a BigInt of units of 10^-scale, so nothing passes through binary floating point.
 */

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** The value of a decimal string as an integer number of 10^-scale units; throws if it needs more digits. */
export function toScaled(text: string, scale: number): bigint {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new Error(`not a decimal number: ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > scale) throw new Error(`${text} has more than ${scale} decimal places`);
  const units = BigInt(whole!) * 10n ** BigInt(scale) + BigInt((fraction + '0'.repeat(scale)).slice(0, scale) || '0');
  return sign ? -units : units;
}

/** Cents of a money string: '12.30' → 1230n. */
export const toCents = (text: string): bigint => toScaled(text, 2);

/** Formats units of 10^-scale as a decimal string with exactly `scale` decimals: (1230n, 2) → '12.30'. */
export function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

export const formatCents = (cents: bigint): string => formatScaled(cents, 2);

/**
 * numerator / denominator rounded to an integer, halves away from zero — what PostgreSQL's
 * round(numeric, n) does (on the value scaled by 10^n).
 */
export function divideRoundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new Error('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (2n * n + d) / (2n * d); // floor(n/d + 1/2)
  return negative ? -quotient : quotient;
}

/** The same number written canonically (no trailing zeros, no '-0'), so '3.50' and '3.5' compare equal. */
export function canonicalDecimal(text: string): string {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new Error(`not a decimal number: ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = ''] = match;
  const w = whole!.replace(/^0+(?=\d)/, '');
  const f = fraction.replace(/0+$/, '');
  const body = f ? `${w}.${f}` : w;
  return sign && body !== '0' ? `-${body}` : body;
}

/** A nullable decimal in canonical form, for exact comparison of query results with oracles. */
export const canonicalOrNull = (text: string | null): string | null => (text === null ? null : canonicalDecimal(text));
