/**
 * npm run init -- <folder>
 * Copies the starter skeleton (fixtures/starter) into a new folder to work in test-first:
 * `SQL_DIR=<folder> npx vitest` then tells you, criterion by criterion, what to build next.
 */
import fs from 'node:fs';
import path from 'node:path';

const target = process.argv[2];
if (!target) {
  console.error('usage: npm run init -- <folder>');
  process.exit(2);
}
if (fs.existsSync(target) && fs.readdirSync(target).length > 0) {
  console.error(`init: ${target} exists and is not empty; choose a new folder`);
  process.exit(2);
}
fs.cpSync(path.resolve('fixtures/starter'), target, { recursive: true });
console.log(
  `init: starter copied to ${target}\nnext: SQL_DIR=${target} npx vitest      (watch mode; every criterion fails until you build it)`,
);
