/**
 * npm run certify -- [sql folder] [--reports <dir>] [extra vitest arguments]
 *   Runs the whole certification against a folder (default sql/) and exits 0 only when every
 *   criterion passes. Equivalent to `SQL_DIR=<folder> npx vitest run`, plus the exit rule.
 * npm run certify -- --class <folder | roster.csv> [...]: a whole class (scripts/class/run.ts).
 * Paths are resolved from the directory the command was typed in.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fromShell } from './class/paths.js';
import { runClass } from './class/run.js';

function certifyOne(argv: string[]): number {
  let reportsArg: string | undefined;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--reports') reportsArg = argv[++i];
    else if (a.startsWith('--reports=')) reportsArg = a.slice('--reports='.length);
    else args.push(a);
  }
  const [first, ...rest] = args;
  const typed = first && !first.startsWith('-') ? first : 'sql';
  const vitestArgs = first?.startsWith('-') ? [first, ...rest] : rest;
  // The default sql/ is the project's own; a folder the user typed is relative to where they typed it.
  const folder = first && !first.startsWith('-') ? fromShell(typed) : path.resolve(typed);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    console.error(`certify: no such folder: ${folder}`);
    return 2;
  }
  const reportsDir = reportsArg ? fromShell(reportsArg) : path.resolve('reports');
  const certificate = path.join(reportsDir, 'certification.json');
  rmSync(certificate, { force: true });
  const run = spawnSync('npx', ['vitest', 'run', ...vitestArgs], {
    stdio: 'inherit',
    env: { ...process.env, SQL_DIR: folder, ARCANE_REPORTS_DIR: reportsDir },
  });
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
  process.exit(certifyOne(argv));
}
