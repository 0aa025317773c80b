/**
 * Self-tests of the two helpers every money and result comparison goes through: exact decimals
 * (helpers/oracles/decimal.ts) and row multisets (helpers/vitest/compare-rows.ts). A bug here
 * would change verdicts everywhere, so each is checked against a second, plainer computation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalDecimal, divideRoundHalfAwayFromZero, formatScaled, toCents, toScaled } from '../../helpers/oracles/decimal.js';
import { asMultiset, expectSameRows } from '../../helpers/vitest/compare-rows.js';

const scale = fc.integer({ min: 0, max: 6 });
const units = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });

describe('harness · exact decimals', () => {
  it('formatScaled and toScaled are inverse at every scale', () => {
    fc.assert(fc.property(units, scale, (u, s) => toScaled(formatScaled(u, s), s) === u));
  });

  it('trailing zeros never change a value: 10, 10.00 and 10.0000 are one amount', () => {
    fc.assert(
      fc.property(units, scale, fc.integer({ min: 0, max: 4 }), (u, s, extra) => {
        const text = formatScaled(u, s);
        const padded = s === 0 && extra > 0 ? `${text}.${'0'.repeat(extra)}` : `${text}${'0'.repeat(s > 0 ? extra : 0)}`;
        return canonicalDecimal(padded) === canonicalDecimal(text) && toScaled(padded, s + extra) === u * 10n ** BigInt(extra);
      }),
    );
    expect(canonicalDecimal('-0.000')).toBe('0');
    expect(canonicalDecimal('003.50')).toBe('3.5');
    expect(toCents('12.3')).toBe(1230n);
  });

  it('refuses a value with more significant decimals than the scale, and text that is not a number', () => {
    expect(() => toScaled('1.005', 2)).toThrow(/more than 2 decimal places/);
    expect(() => toScaled('1e3', 2)).toThrow(/not a decimal number/);
    expect(toScaled('1.500', 1)).toBe(15n);
  });

  it('rounds halves away from zero, as PostgreSQL round(numeric) does', () => {
    const plain = (n: bigint, d: bigint): bigint => {
      // Independent: the truncated quotient, moved one step away from zero when the remainder is at least half.
      const q = n / d;
      const r = n % d;
      const twice = 2n * (r < 0n ? -r : r);
      const dAbs = d < 0n ? -d : d;
      if (twice < dAbs) return q;
      return n < 0n !== d < 0n ? q - 1n : q + 1n;
    };
    fc.assert(
      fc.property(
        units,
        fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }).filter((d) => d !== 0n),
        (n, d) => {
          return divideRoundHalfAwayFromZero(n, d) === plain(n, d);
        },
      ),
    );
    expect(divideRoundHalfAwayFromZero(5n, 2n)).toBe(3n);
    expect(divideRoundHalfAwayFromZero(-5n, 2n)).toBe(-3n);
    expect(() => divideRoundHalfAwayFromZero(1n, 0n)).toThrow(/division by zero/);
  });
});

describe('harness · rows as multisets', () => {
  const row = fc.record({ id: fc.integer({ min: 0, max: 5 }), amount: fc.constantFrom('1.5', '2', '0') });

  it('a permutation of the rows compares equal; a changed multiplicity does not', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), fc.infiniteStream(fc.nat()), (rows, seeds) => {
        const shuffled = [...rows];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = seeds.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        expect(asMultiset(shuffled)).toEqual(asMultiset(rows));
        if (rows.length > 0) expect(asMultiset([...rows, rows[0]])).not.toEqual(asMultiset(rows));
      }),
    );
  });

  it('expectSameRows names the first differing row with have and want', () => {
    expect(() => expectSameRows('q', ['a', 'b', 'c'], ['a', 'x', 'c'], 'fix it')).toThrow(/row 2 differs[\s\S]*b[\s\S]*x/);
    expect(() => expectSameRows('q', ['a'], ['a', 'b'], 'fix it')).toThrow(/no row 2/);
    expect(() => expectSameRows('q', ['a', 'b'], ['a', 'b'], 'fix it')).not.toThrow();
  });
});
