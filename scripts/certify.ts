/**
 * npm run certify -- [--timeout 20m] [--repeat N] [--pg 15|16|17|18] [sql folder] [--reports <dir>] [-- vitest arguments]
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
import { InvalidArgumentError } from 'commander';
import { cleanUpStoppedRun, type RunRoleNames } from '../helpers/db/run-roles.js';
import { parseDuration, runWithin } from '../helpers/safety/bounded-run.js';
import { removeOrphans } from '../helpers/server/run-dirs.js';
import { certifyRepeatedly } from './certify-repeat.js';
import { defaultClassJobs } from './class/jobs.js';
import { fromShell } from './class/paths.js';
import { cliCommand, integerAtLeast, oneOf, PG_MAJORS, positiveNumber } from './cli.js';

const DEFAULT_TIMEOUT = '20m';

interface CertifyOptions {
  timeout?: string;
  repeat?: number;
  pg?: string;
  reports?: string;
  class?: string;
  out?: string;
  jobs?: number;
  timeoutMinutes: number;
  force?: boolean;
}

/** Validates a --timeout while parsing; the text is kept for the verdict's message. */
const duration = (text: string): string => {
  if (parseDuration(text) === undefined)
    throw new InvalidArgumentError(`It wants a duration such as 90s, 20m or 1h, not '${text}'.`);
  return text;
};

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

async function certifyOne(first: string | undefined, vitestArgs: string[], opts: CertifyOptions): Promise<number> {
  const timeoutText = opts.timeout ?? (process.env.ARCANE_CERTIFY_TIMEOUT || DEFAULT_TIMEOUT);
  const timeoutSeconds = parseDuration(timeoutText);
  if (timeoutSeconds === undefined) {
    console.error(`certify: --timeout wants a duration such as 90s, 20m or 1h, not '${timeoutText}'`);
    return 2;
  }
  // The default sql/ is the project's own; a folder the user typed is relative to where they typed it.
  const folder = first ? fromShell(first) : path.resolve('sql');
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    console.error(`certify: no such folder: ${folder}`);
    return 2;
  }
  if (opts.repeat) return certifyRepeatedly(folder, opts.repeat, vitestArgs);
  const reportsDir = opts.reports ? fromShell(opts.reports) : path.resolve('reports');
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

const defaultJobs = defaultClassJobs();
const program = cliCommand(
  'certify',
  'Certifies a SQL folder (default sql/): exit 0 only when every criterion passes. With --class, a whole class.',
)
  .argument('[folder]', 'the SQL folder, from where you type the command (default: sql/ of the project)')
  .argument('[vitest-arguments...]', 'handed to vitest as they are, after a second --: npm run certify -- sql -- -t name')
  .option('--timeout <duration>', 'total time bound, e.g. 90s, 45m, 1h (default: ARCANE_CERTIFY_TIMEOUT or 20m)', duration)
  .option('--repeat <n>', "certify N times; fails if any check's result differs", integerAtLeast(2))
  .option('--pg <major>', 'embedded PostgreSQL 15, 16, 17 or 18 (with DATABASE_URL: check it is that major)', oneOf(PG_MAJORS))
  .option('--reports <dir>', 'where the reports go (default: reports/)')
  .option('--class <source>', 'a whole class: a folder with one sub-folder per student, or a roster CSV "name,folder"')
  .option('--out <dir>', 'with --class: where the class reports go (default: reports/class)')
  .option('--jobs <n>', `with --class: students certified at once (default: ${defaultJobs})`, integerAtLeast(1))
  .option('--timeout-minutes <m>', 'with --class: time limit per student', positiveNumber, 20)
  .option('--force', 'with --class: certify again the students already graded in --out')
  .parse();
const opts = program.opts<CertifyOptions>();
const [first, vitestArgs] = program.processedArgs as [string | undefined, string[]];
const given = (...names: (keyof CertifyOptions)[]) =>
  names
    .filter((n) => program.getOptionValueSource(n) === 'cli')
    .map((n) => `--${n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
if (opts.class !== undefined) {
  const stray = [...given('timeout', 'repeat', 'reports'), ...(first ? [first] : [])];
  if (stray.length > 0) program.error(`--class certifies the folders of its roster: ${stray.join(', ')} cannot go with it`);
} else {
  const stray = given('out', 'jobs', 'timeoutMinutes', 'force');
  if (stray.length > 0) program.error(`${stray.join(', ')}: only with --class`);
}
// Every run below (one folder, repeats, a class) inherits the major.
if (opts.pg !== undefined) process.env.ARCANE_PG_MAJOR = opts.pg;
if (opts.class !== undefined) {
  const classOptions = {
    source: opts.class,
    out: opts.out ?? 'reports/class',
    jobs: opts.jobs ?? defaultJobs,
    timeoutMinutes: opts.timeoutMinutes,
    force: opts.force ?? false,
  };
  // Imported for a class only: its pages' charts (Observable Plot, linkedom) take a second to load.
  const { runClass } = await import('./class/run.js');
  runClass(classOptions).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`certify --class: ${(error as Error).message}`);
      process.exit(2);
    },
  );
} else {
  process.exit(await certifyOne(first, vitestArgs, opts));
}
