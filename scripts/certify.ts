/**
 * npm run certify -- [--timeout 20m] [--repeat N] [--pg 15|16|17|18] [sql folder] [--reports <dir>] [extra vitest arguments]
 *   Runs the whole certification against a folder (default sql/) and exits 0 only when every
 *   criterion passes. Equivalent to `SQL_DIR=<folder> npx vitest run`, plus the exit rule and a
 *   total time bound (default 20 minutes, or ARCANE_CERTIFY_TIMEOUT): a run that reaches it is
 *   stopped with every process it started, and its verdict is TIMED OUT (exit code 1).
 *   --pg N runs on the embedded PostgreSQL N (npm aliases of its binaries in package.json), or
 *   checks that DATABASE_URL's server is N.
 * npm run certify -- --class <folder | roster.csv> [...]: a whole class (scripts/class/run.ts).
 * Paths are resolved from the directory the command was typed in.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanUpStoppedRun, type RunRoleNames } from '../helpers/db/run-roles.js';
import { parseDuration, runWithin } from '../helpers/safety/bounded-run.js';
import { removeOrphans } from '../helpers/server/run-dirs.js';
import { certifyRepeatedly, parseRepeat } from './certify-repeat.js';
import { fromShell } from './class/paths.js';
import { runClass } from './class/run.js';

const DEFAULT_TIMEOUT = '20m';

/** Removes `--name value` / `--name=value` from argv and returns the value. */
function takeOption(argv: string[], name: string): string | undefined {
  const at = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (at < 0) return undefined;
  const [flag, inline] = argv[at]!.split('=');
  const value = inline ?? argv[at + 1] ?? '';
  argv.splice(at, flag === argv[at] ? 2 : 1);
  return value;
}

function writeTimedOut(reportsDir: string, folder: string, message: string): void {
  mkdirSync(reportsDir, { recursive: true });
  const cert = { sqlDir: folder, certified: false, timedOut: true, error: message };
  writeFileSync(path.join(reportsDir, 'certification.json'), `${JSON.stringify(cert, null, 2)}\n`);
  writeFileSync(
    path.join(reportsDir, 'certification.md'),
    `# Arcane Commerce certification\n\n**TIMED OUT: ${message}. Not certified.**\n`,
  );
  const results = { score: 0, output: `TIMED OUT: ${message}`, tests: [] };
  writeFileSync(path.join(reportsDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
}

async function certifyOne(argv: string[]): Promise<number> {
  const timeoutText = takeOption(argv, '--timeout') ?? (process.env.ARCANE_CERTIFY_TIMEOUT || DEFAULT_TIMEOUT);
  const timeoutSeconds = parseDuration(timeoutText);
  if (timeoutSeconds === undefined) {
    console.error(`certify: --timeout wants a duration such as 90s, 20m or 1h, not '${timeoutText}'`);
    return 2;
  }
  const reportsArg = takeOption(argv, '--reports');
  const repeat = parseRepeat(argv);
  const [first, ...rest] = repeat ? repeat.rest : argv;
  const vitestArgs = first?.startsWith('-') ? [first, ...rest] : rest;
  // The default sql/ is the project's own; a folder the user typed is relative to where they typed it.
  const folder = first && !first.startsWith('-') ? fromShell(first) : path.resolve('sql');
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    console.error(`certify: no such folder: ${folder}`);
    return 2;
  }
  if (repeat) return certifyRepeatedly(folder, repeat.times, vitestArgs);
  const reportsDir = reportsArg ? fromShell(reportsArg) : path.resolve('reports');
  const certificate = path.join(reportsDir, 'certification.json');
  rmSync(certificate, { force: true });
  const privateDir = mkdtempSync(path.join(os.tmpdir(), 'arcane-certify-')); // 0700, this user's own
  const runRecord = path.join(privateDir, 'run.json');
  const run = await runWithin(
    'npx',
    ['vitest', 'run', ...vitestArgs],
    { ...process.env, SQL_DIR: folder, ARCANE_REPORTS_DIR: reportsDir, TSX_DISABLE_CACHE: '1', ARCANE_RUN_RECORD: runRecord },
    timeoutSeconds,
  );
  const names = existsSync(runRecord) ? (JSON.parse(readFileSync(runRecord, 'utf8')) as RunRoleNames) : undefined;
  rmSync(privateDir, { recursive: true, force: true });
  if (run.timedOut) {
    await removeOrphans(); // the embedded server of the stopped run, verified to be ours
    // On a shared server (DATABASE_URL) the stopped run's databases and roles are removed here.
    if (process.env.DATABASE_URL && names) await cleanUpStoppedRun(process.env.DATABASE_URL, names).catch(() => undefined);
    const message = `timed out after ${timeoutSeconds} s (limit --timeout ${timeoutText}): the run was stopped`;
    writeTimedOut(reportsDir, folder, message);
    console.error(`certify: TIMED OUT — NOT CERTIFIED (${message})`);
    return 1;
  }
  if (!existsSync(certificate)) {
    console.error(`certify: the run ended without a certificate (vitest exit code ${run.status ?? run.signal})`);
    return 2;
  }
  const { certified } = JSON.parse(readFileSync(certificate, 'utf8')) as { certified: boolean };
  const shown = path.relative(process.env.INIT_CWD ?? process.cwd(), reportsDir) || '.';
  console.log(
    `certify: ${certified ? 'CERTIFIED' : 'NOT CERTIFIED'} — reports in ${shown}/: certification.html, certification.md, certification.json, results.json (Gradescope), junit.xml`,
  );
  // Both must agree: a certificate that says CERTIFIED from a run that exited non-zero is not trusted.
  return certified && run.status === 0 ? 0 : 1;
}

const argv = process.argv.slice(2);
const pgMajor = takeOption(argv, '--pg');
if (pgMajor !== undefined) {
  if (!/^(15|16|17|18)$/.test(pgMajor)) {
    console.error(`certify: --pg takes 15, 16, 17 or 18 (got '${pgMajor}')`);
    process.exit(2);
  }
  process.env.ARCANE_PG_MAJOR = pgMajor; // every run below (one folder, repeats, a class) inherits it
}
if (argv.some((a) => a === '--class' || a.startsWith('--class='))) {
  runClass(argv).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const e = error as { code?: string; exitCode?: number; message: string };
      if (e.code?.startsWith('commander.')) process.exit(e.exitCode === 0 ? 0 : 2);
      console.error(`certify --class: ${e.message}`);
      process.exit(2);
    },
  );
} else {
  process.exit(await certifyOne(argv));
}
