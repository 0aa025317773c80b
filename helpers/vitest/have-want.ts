import { studentError } from './student-error.js';

/**
 * pgTAP-style failure: what was checked, what the database has, what the certification wants,
 * and what to do about it.
 */
export function failHaveWant(check: string, have: unknown, want: unknown, fix?: string): never {
  const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  const lines = [check, `    have: ${show(have)}`, `    want: ${show(want)}`];
  if (fix) lines.push(`  fix: ${fix}`);
  throw studentError(lines.join('\n'));
}

export function fail(check: string, fix?: string): never {
  throw studentError(fix ? `${check}\n  fix: ${fix}` : check);
}
