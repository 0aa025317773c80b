/**
 * npm run certify -- [--timeout 20m] [--repeat N] [sql folder] [extra vitest arguments]
 * Runs the whole certification against a folder (default sql/) and exits 0 only when every
 * criterion passes. Equivalent to `SQL_DIR=<folder> npx vitest run`, plus the exit rule and a
 * total time bound (default 20 minutes, or ARCANE_CERTIFY_TIMEOUT): a run that reaches it is
 * stopped with every process it started, and its verdict is TIMED OUT (exit code 1).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanUpStoppedRun, type RunRoleNames } from '../helpers/db/run-roles.js';
import { parseDuration, runWithin } from '../helpers/safety/bounded-run.js';
import { removeOrphans } from '../helpers/server/run-dirs.js';
import { certifyRepeatedly, parseRepeat } from './certify-repeat.js';

const DEFAULT_TIMEOUT = '20m';
const argv = process.argv.slice(2);
let timeoutText = process.env.ARCANE_CERTIFY_TIMEOUT || DEFAULT_TIMEOUT;
const flag = argv.findIndex((a) => a === '--timeout' || a.startsWith('--timeout='));
if (flag >= 0) {
  const [name, inline] = argv[flag]!.split('=');
  timeoutText = inline ?? argv[flag + 1] ?? '';
  argv.splice(flag, name === argv[flag] ? 2 : 1);
}
const timeoutSeconds = parseDuration(timeoutText);
if (timeoutSeconds === undefined) {
  console.error(`certify: --timeout wants a duration such as 90s, 20m or 1h, not '${timeoutText}'`);
  process.exit(2);
}
const repeat = parseRepeat(argv);
const [first, ...rest] = repeat ? repeat.rest : argv;
const folder = first && !first.startsWith('-') ? first : 'sql';
const vitestArgs = first?.startsWith('-') ? [first, ...rest] : rest;
if (!existsSync(folder)) {
  console.error(`certify: no such folder: ${folder}`);
  process.exit(2);
}
if (repeat) process.exit(certifyRepeatedly(folder, repeat.times, vitestArgs));
const certificate = path.resolve('reports/certification.json');
rmSync(certificate, { force: true });
const privateDir = mkdtempSync(path.join(os.tmpdir(), 'arcane-certify-')); // 0700, this user's own
const runRecord = path.join(privateDir, 'run.json');
const run = await runWithin(
  'npx',
  ['vitest', 'run', ...vitestArgs],
  { ...process.env, SQL_DIR: path.resolve(folder), TSX_DISABLE_CACHE: '1', ARCANE_RUN_RECORD: runRecord },
  timeoutSeconds,
);
const names = existsSync(runRecord) ? (JSON.parse(readFileSync(runRecord, 'utf8')) as RunRoleNames) : undefined;
rmSync(privateDir, { recursive: true, force: true });
if (run.timedOut) {
  await removeOrphans(); // the embedded server of the stopped run, verified to be ours
  // On a shared server (DATABASE_URL) the stopped run's databases and roles are removed here.
  if (process.env.DATABASE_URL && names) await cleanUpStoppedRun(process.env.DATABASE_URL, names).catch(() => undefined);
  mkdirSync(path.resolve('reports'), { recursive: true });
  const message = `timed out after ${timeoutSeconds} s (limit --timeout ${timeoutText}): the run was stopped`;
  writeFileSync(
    certificate,
    `${JSON.stringify({ sqlDir: folder, certified: false, timedOut: true, error: message }, null, 2)}\n`,
  );
  writeFileSync(
    path.resolve('reports/certification.md'),
    `# Arcane Commerce certification\n\n**TIMED OUT: ${message}. Not certified.**\n`,
  );
  writeFileSync(
    path.resolve('reports/results.json'),
    `${JSON.stringify({ score: 0, output: `TIMED OUT: ${message}`, tests: [] }, null, 2)}\n`,
  );
  console.error(`certify: TIMED OUT — NOT CERTIFIED (${message})`);
  process.exit(1);
}
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
