/**
 * npm run certify -- --class <folder | roster.csv> [--out reports/class] [--jobs N] [--timeout-minutes M] [--force]
 * Certifies every student of a class, a few at a time, each in a vitest run (and embedded server)
 * of their own. One student's crash or time-out is recorded and the class goes on; a rerun skips
 * students whose certificate is already in <out> (resumable) unless --force.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import pLimit from 'p-limit';
import { gradeStudent, OUTCOME_FILE, type StudentOutcome } from './grade-student.js';
import { fromShell } from './paths.js';
import { loadRoster } from './roster.js';
import { writeClassSummary } from './summary.js';

async function finished(reportsDir: string): Promise<StudentOutcome | undefined> {
  const outcome = await fs
    .readFile(path.join(reportsDir, OUTCOME_FILE), 'utf8')
    .then((t) => JSON.parse(t) as StudentOutcome)
    .catch(() => undefined);
  return outcome?.outcome === 'graded' ? outcome : undefined; // a crash or time-out is retried
}

export interface ClassOptions {
  /** A folder with one sub-folder per student, or a roster CSV "name,folder", as typed. */
  source: string;
  /** Where the class reports go, as typed. */
  out: string;
  jobs: number;
  timeoutMinutes: number;
  force: boolean;
}

/** Certifies the class; its command line is certify's (scripts/certify.ts). */
export async function runClass(opts: ClassOptions): Promise<number> {
  const cores = os.availableParallelism();
  const source = fromShell(opts.source);
  const out = fromShell(opts.out);
  const students = await loadRoster(source);
  const jobs = opts.jobs;
  // The cores are shared out: each student's vitest gets its slice of workers.
  const workers = Math.max(1, Math.floor(cores / jobs));
  await fs.mkdir(out, { recursive: true });

  const startedAt = new Date();
  const outcomes = new Map<string, StudentOutcome>();
  const todo: typeof students = [];
  for (const s of students) {
    const done = opts.force ? undefined : await finished(path.join(out, s.name));
    if (done) outcomes.set(s.name, done);
    else todo.push(s);
  }
  console.log(
    `[class] ${students.length} students from ${source}: ${todo.length} to certify${outcomes.size ? `, ${outcomes.size} already graded (--force to redo)` : ''}; ${jobs} at a time, ${workers} vitest worker(s) each → ${out}`,
  );

  const bar = new cliProgress.SingleBar(
    {
      format: '[class] {bar} {value}/{total} students | {duration_formatted} elapsed | ETA {eta_formatted} | {last}',
      etaBuffer: 8,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 30_000,
      hideCursor: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(todo.length, 0, { last: '' });
  const limit = pLimit(jobs);
  await Promise.all(
    todo.map((s) =>
      limit(async () => {
        const outcome = await gradeStudent(s.name, s.folder, {
          reportsDir: path.join(out, s.name),
          timeoutMs: opts.timeoutMinutes * 60_000,
          workers,
        }).catch(
          (error: unknown): StudentOutcome => ({
            student: s.name,
            folder: s.folder,
            outcome: 'no certificate',
            certified: false,
            score: 0,
            maxScore: 0,
            verdict: `NO CERTIFICATE: ${(error as Error).message}`,
            vitestExitCode: null,
            seconds: 0,
            criteria: [],
          }),
        );
        outcomes.set(s.name, outcome);
        bar.increment({
          last: `${s.name}: ${outcome.score} ${outcome.certified ? 'CERTIFIED' : outcome.outcome === 'graded' ? 'not certified' : outcome.outcome}`,
        });
      }),
    ),
  );
  bar.stop();

  const ordered = students.map((s) => outcomes.get(s.name)!);
  const wallSeconds = (Date.now() - startedAt.getTime()) / 1000;
  await writeClassSummary(out, ordered, {
    source,
    startedAt: startedAt.toISOString(),
    wallSeconds,
    jobs,
    certifiedNow: todo.length,
  });
  const ungraded = ordered.filter((o) => o.outcome !== 'graded');
  const certified = ordered.filter((o) => o.certified).length;
  console.log(
    `[class] ${ordered.length} students, ${certified} certified, ${ungraded.length} without a certificate; wall time ${(wallSeconds / 60).toFixed(1)} min\n[class] ${path.join(out, 'index.html')} · ${path.join(out, 'class-summary.csv')}`,
  );
  for (const o of ungraded) console.log(`[class] ${o.student}: ${o.verdict} — ${path.join(out, o.student, 'run.log')}`);
  // 0: every student has a certificate (whatever it says); 1: some could not be graded.
  return ungraded.length === 0 ? 0 : 1;
}
