/**
 * Setup file: what a check prints (plans with the solution's index names, values it returned)
 * is shown with control characters as `\u…` codes, so a name like "\x1b[2J…95/95 CERTIFIED"
 * cannot clear or paint the grader's terminal. Newlines and tabs are kept.
 */
import { format } from 'node:util';
import { sanitizeText } from '../safety/sanitize.js';

const LONGEST_LOG = 100_000;

for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const print = console[method].bind(console);
  console[method] = (...args: unknown[]) => print(sanitizeText(format(...args), LONGEST_LOG));
}
