/**
 * The Gradescope side of a submission (templates/gradescope/run_autograder calls it): finds the SQL
 * folder in <root>/submission, certifies it in a vitest run with its reports under
 * <root>/results/certificate, and always leaves <root>/results/results.json — the certificate's
 * per-check scores, or a zero score that says why there is none. <root> is AUTOGRADER_ROOT or /autograder.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(process.env.AUTOGRADER_ROOT ?? '/autograder');
const submission = path.join(root, 'submission');
const results = path.join(root, 'results');
const reportsDir = path.join(results, 'certificate');

const hasSql = async (dir: string) => (await fs.readdir(dir).catch(() => [] as string[])).some((f) => f.endsWith('.sql'));

/** The submission itself, or the one folder a zip upload wrapped it in. */
async function sqlFolder(): Promise<string | undefined> {
  if (await hasSql(submission)) return submission;
  const entries = await fs.readdir(submission, { withFileTypes: true }).catch(() => []);
  const folders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== '__MACOSX');
  for (const f of folders) if (await hasSql(path.join(submission, f.name))) return path.join(submission, f.name);
  return undefined;
}

async function writeResults(json: unknown): Promise<void> {
  await fs.mkdir(results, { recursive: true });
  await fs.writeFile(path.join(results, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
}

const zero = (output: string) => ({ score: 0, output, visibility: 'visible', stdout_visibility: 'visible', tests: [] });

const folder = await sqlFolder();
if (!folder) {
  await writeResults(
    zero(
      'No .sql files found in the submission (top level, or one folder down). Upload the files of your solution folder: 10_schema.sql, 20_catalog.sql, …, and queries/.',
    ),
  );
  console.log('[gradescope] no SQL files in the submission');
} else {
  await fs.rm(reportsDir, { recursive: true, force: true });
  const run = spawnSync(path.resolve('node_modules', '.bin', 'vitest'), ['run'], {
    stdio: 'inherit',
    env: { ...process.env, SQL_DIR: folder, ARCANE_REPORTS_DIR: reportsDir, NO_COLOR: '1', CI: '1' },
  });
  const certificate = await fs.readFile(path.join(reportsDir, 'results.json'), 'utf8').catch(() => undefined);
  if (certificate) {
    await writeResults(JSON.parse(certificate));
    console.log(`[gradescope] results.json written (vitest exit code ${run.status})`);
  } else {
    await writeResults(
      zero(
        `The certification ended without a certificate (vitest exit code ${run.status ?? run.signal}): a problem on the grader's side, not in your SQL. Please tell your instructor.`,
      ),
    );
    console.log('[gradescope] no certificate: wrote a zero score that says so');
  }
}
