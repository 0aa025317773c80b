/** Self-test of the pgTAP-like assertions (helpers/vitest/tap.ts): each passes and fails where pgTAP's would. */
import { describe, expect, it } from 'vitest';
import { cmpOk, is, isnt, matches } from '../../helpers/vitest/tap.js';

describe('harness · pgTAP-like assertions', () => {
  it('is / isnt compare by value, arrays and objects included', () => {
    expect(() => is([1, 2], [1, 2], 'same')).not.toThrow();
    expect(() => is({ a: 1 }, { a: 2 }, 'differs', 'fix')).toThrow(
      /differs\n {4}have: \{"a":1\}\n {4}want: \{"a":2\}\n {2}fix: fix/,
    );
    expect(() => isnt('x', 'y', 'other')).not.toThrow();
    expect(() => isnt('x', 'x', 'same text')).toThrow(/want: anything but "x"/);
  });

  it('cmpOk applies the operator and never passes NaN', () => {
    expect(() => cmpOk(3, '>=', 3, 'ge')).not.toThrow();
    expect(() => cmpOk(2, '>', 3, 'gt')).toThrow(/have: 2\n {4}want: > 3/);
    expect(() => cmpOk(Number.NaN, '<', 1, 'nan')).toThrow(/nan/);
    expect(() => cmpOk(0.19, '<', 0.2, 'lt')).not.toThrow();
  });

  it('matches shows the pattern it wanted', () => {
    expect(() => matches('Seq Scan on orders', /Seq Scan/, 'log')).not.toThrow();
    expect(() => matches('Index Scan', /Seq Scan/, 'log')).toThrow(/want: text matching \/Seq Scan\//);
  });
});
