/**
 * Certifies one SQL folder in a vitest run of its own (its own embedded server, its own reports
 * folder), with a time limit. Never throws for the student's sake: a crash or a time-out is an outcome.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Certificate } from '../../helpers/certificate/grade.js';
import { verdict } from '../../helpers/certificate/render.js';
import { removeOrphans } from '../../helpers/server/run-dirs.js';

export interface StudentOutcome {
  student: string;
  folder: string;
  /** graded: a certificate was written; the others mean the grader should look at run.log. */
  outcome: 'graded' | 'no certificate' | 'timed out';
  certified: boolean;
  score: number;
  maxScore: number;
  verdict: string;
  vitestExitCode: number | null;
  seconds: number;
  criteria: { tag: string; title: string; status: string; points: number; maxPoints: number }[];
}

export const OUTCOME_FILE = 'outcome.json';

export interface GradeOptions {
  reportsDir: string;
  timeoutMs: number;
  /** Vitest workers for this student's run. */
  workers: number;
}

/** Runs the suite on `folder`; resolves when it ended, however it ended. */
export async function gradeStudent(student: string, folder: string, options: GradeOptions): Promise<StudentOutcome> {
  const started = Date.now();
  await fs.rm(options.reportsDir, { recursive: true, force: true });
  await fs.mkdir(options.reportsDir, { recursive: true });
  const log = createWriteStream(path.join(options.reportsDir, 'run.log'));
  const vitest = path.resolve('node_modules', '.bin', 'vitest');
  const child = spawn(vitest, ['run', `--maxWorkers=${options.workers}`], {
    env: { ...process.env, SQL_DIR: folder, ARCANE_REPORTS_DIR: options.reportsDir, NO_COLOR: '1', CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: a time-out stops vitest, its workers and its server together
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    log.write(`\n[class] time limit of ${options.timeoutMs / 1000} s reached: stopping this run\n`);
    const group = -child.pid!;
    try {
      process.kill(group, 'SIGTERM');
    } catch {}
    setTimeout(() => {
      try {
        process.kill(group, 'SIGKILL');
      } catch {}
    }, 15_000).unref();
  }, options.timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', (error) => {
      log.write(`\n[class] could not start vitest: ${error.message}\n`);
      resolve(null);
    });
    child.on('close', (c) => resolve(c));
  });
  clearTimeout(timer);
  await new Promise<void>((resolve) => log.end(resolve));
  if (timedOut) await removeOrphans(); // the killed run's server folder, if it outlived it

  const seconds = (Date.now() - started) / 1000;
  const cert = await fs
    .readFile(path.join(options.reportsDir, 'certification.json'), 'utf8')
    .then((t) => JSON.parse(t) as Certificate & { checks: unknown[] })
    .catch(() => undefined);
  const graded = !timedOut && cert !== undefined && cert.checks.length > 0;
  const outcome: StudentOutcome = {
    student,
    folder,
    outcome: timedOut ? 'timed out' : graded ? 'graded' : 'no certificate',
    // Certified only when the certificate says so and vitest agrees (the single-folder rule).
    certified: graded && cert.certified && code === 0,
    score: graded ? cert.score : 0,
    maxScore: cert?.maxScore ?? 0,
    verdict: timedOut
      ? `TIMED OUT after ${Math.round(options.timeoutMs / 1000)} s`
      : graded
        ? verdict(cert)
        : 'NO CERTIFICATE (see run.log)',
    vitestExitCode: code,
    seconds,
    criteria: graded
      ? cert.criteria.map(({ tag, title, status, points, maxPoints }) => ({ tag, title, status, points, maxPoints }))
      : [],
  };
  await fs.writeFile(path.join(options.reportsDir, OUTCOME_FILE), `${JSON.stringify(outcome, null, 2)}\n`);
  return outcome;
}
