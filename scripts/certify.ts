/**
 * npm run certify -- [sql folder] [--pg 15|16|17|18] [extra vitest arguments]
 * Runs the whole certification against a folder (default sql/) and exits 0 only when every
 * criterion passes. Equivalent to `SQL_DIR=<folder> npx vitest run`, plus the exit rule.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const argv = process.argv.slice(2);
// --pg N: run on the embedded PostgreSQL N (the npm aliases of package.json), or check DATABASE_URL is N.
const pgAt = argv.indexOf('--pg');
const pgMajor = pgAt >= 0 ? argv.splice(pgAt, 2)[1] : undefined;
if (pgAt >= 0 && !/^(15|16|17|18)$/.test(pgMajor ?? '')) {
  console.error(`certify: --pg takes 15, 16, 17 or 18 (got ${pgMajor ?? 'nothing'})`);
  process.exit(2);
}
const [first, ...rest] = argv;
const folder = first && !first.startsWith('-') ? first : 'sql';
const vitestArgs = first?.startsWith('-') ? [first, ...rest] : rest;
if (!existsSync(folder)) {
  console.error(`certify: no such folder: ${folder}`);
  process.exit(2);
}
const certificate = path.resolve('reports/certification.json');
rmSync(certificate, { force: true });
const run = spawnSync('npx', ['vitest', 'run', ...vitestArgs], {
  stdio: 'inherit',
  env: { ...process.env, SQL_DIR: path.resolve(folder), ...(pgMajor ? { ARCANE_PG_MAJOR: pgMajor } : {}) },
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
