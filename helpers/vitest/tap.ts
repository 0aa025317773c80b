/**
 * A small pgTAP-like vocabulary: one assertion per line, each with a description a student reads,
 * and have/want/fix on failure (through failHaveWant). `is` compares by deep equality of JSON.
 */
import { failHaveWant } from './have-want.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function is<T>(have: T, want: T, description: string, fix?: string): void {
  if (!same(have, want)) failHaveWant(description, have, want, fix);
}

export function isnt<T>(have: T, unwanted: T, description: string, fix?: string): void {
  if (same(have, unwanted)) failHaveWant(description, have, `anything but ${JSON.stringify(unwanted)}`, fix);
}

type Comparison = '<' | '<=' | '>' | '>=';
const COMPARE: Record<Comparison, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** pgTAP's cmp_ok: `have op want`, numbers only; NaN never passes. */
export function cmpOk(have: number, op: Comparison, want: number, description: string, fix?: string): void {
  if (!COMPARE[op](have, want)) failHaveWant(description, have, `${op} ${want}`, fix);
}

/** pgTAP's matches: the text holds the pattern. */
export function matches(have: string, pattern: RegExp, description: string, fix?: string): void {
  if (!pattern.test(have))
    failHaveWant(description, have.length > 400 ? `${have.slice(0, 400)}…` : have, `text matching ${pattern}`, fix);
}
