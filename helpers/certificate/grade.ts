import { CRITERIA, type Criterion } from '../../contract/rubric.js';

/** One executed check as the certificate sees it. */
export interface CheckOutcome {
  file: string;
  name: string;
  tags: string[];
  status: 'passed' | 'failed';
  /** The first error, as the student should read it. */
  message?: string;
  seconds: number;
}

export interface CriterionResult {
  tag: string;
  title: string;
  description: string;
  /** PARTIAL: every check that ran passed, but the run was filtered, so some of its checks may not have run. */
  status: 'PASS' | 'FAIL' | 'PARTIAL' | 'NOT RUN';
  points: number;
  maxPoints: number;
  passed: number;
  total: number;
  firstFailure?: { check: string; file: string; message: string };
}

/** Whether every spec file and every check of the suite ran; only a complete run can certify. */
export interface RunCompleteness {
  complete: boolean;
  /** Spec files of the suite that this run did not load (a file filter). */
  filesNotRun: string[];
  /** Checks collected but filtered out (a tag or name filter). */
  checksFilteredOut: number;
}

export const COMPLETE_RUN: RunCompleteness = { complete: true, filesNotRun: [], checksFilteredOut: 0 };

export interface Certificate {
  sqlDir: string;
  run: RunCompleteness;
  /** Failed checks of any kind, those outside the criteria (the harness's own) included. */
  failedChecks: number;
  server: string;
  finishedAt: string;
  certified: boolean;
  score: number;
  maxScore: number;
  criteria: CriterionResult[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Partial credit per criterion: its points × passed checks / checks that carry its tag. */
export function gradeCriterion(
  criterion: Criterion,
  checks: CheckOutcome[],
  run: RunCompleteness = COMPLETE_RUN,
): CriterionResult {
  const mine = checks.filter((c) => c.tags.includes(criterion.tag));
  const passed = mine.filter((c) => c.status === 'passed').length;
  const failed = mine.find((c) => c.status === 'failed');
  const status = mine.length === 0 ? 'NOT RUN' : failed ? 'FAIL' : run.complete ? 'PASS' : 'PARTIAL';
  return {
    tag: criterion.tag,
    title: criterion.title,
    description: criterion.description,
    status,
    points: mine.length === 0 ? 0 : round2((criterion.points * passed) / mine.length),
    maxPoints: criterion.points,
    passed,
    total: mine.length,
    ...(failed ? { firstFailure: { check: failed.name, file: failed.file, message: failed.message ?? '' } } : {}),
  };
}

export function certify(
  checks: CheckOutcome[],
  sqlDir: string,
  server: string,
  run: RunCompleteness = COMPLETE_RUN,
): Certificate {
  const criteria = CRITERIA.map((c) => gradeCriterion(c, checks, run));
  return {
    sqlDir,
    run,
    failedChecks: checks.filter((c) => c.status === 'failed').length,
    server,
    finishedAt: new Date().toISOString(),
    // Checks without a criterion (the harness's own) must pass too: a broken harness certifies nothing.
    certified: run.complete && criteria.every((c) => c.status === 'PASS') && checks.every((c) => c.status === 'passed'),
    score: round2(criteria.reduce((s, c) => s + c.points, 0)),
    maxScore: criteria.reduce((s, c) => s + c.maxPoints, 0),
    criteria,
  };
}
