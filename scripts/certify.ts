/**
 * npm run certify -- [--repeat N] [sql folder] [extra vitest arguments]
 * Runs the whole certification against a folder (default sql/) and exits 0 only when every
 * criterion passes. Equivalent to `SQL_DIR=<folder> npx vitest run`, plus the exit rule.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { certifyRepeatedly, parseRepeat } from './certify-repeat.js';

const repeat = parseRepeat(process.argv.slice(2));
const [first, ...rest] = repeat ? repeat.rest : process.argv.slice(2);
const folder = first && !first.startsWith('-') ? first : 'sql';
const vitestArgs = first?.startsWith('-') ? [first, ...rest] : rest;
if (!existsSync(folder)) {
  console.error(`certify: no such folder: ${folder}`);
  process.exit(2);
}
if (repeat) process.exit(certifyRepeatedly(folder, repeat.times, vitestArgs));
const certificate = path.resolve('reports/certification.json');
rmSync(certificate, { force: true });
const run = spawnSync('npx', ['vitest', 'run', ...vitestArgs], {
  stdio: 'inherit',
  env: { ...process.env, SQL_DIR: path.resolve(folder) },
});
if (!existsSync(certificate)) {
  console.error(`certify: the run ended without a certificate (vitest exit code ${run.status ?? run.signal})`);
  process.exit(2);
}
const { certified } = JSON.parse(readFileSync(certificate, 'utf8')) as { certified: boolean };
console.log(
  `certify: ${certified ? 'CERTIFIED' : 'NOT CERTIFIED'} — reports/certification.md, reports/results.json, reports/junit.xml`,
);
// Both must agree: a certificate that says CERTIFIED from a run that exited non-zero is not trusted.
process.exit(certified && run.status === 0 ? 0 : 1);
