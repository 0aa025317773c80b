import { CRITERIA, type Criterion } from '../../spec/rubric.js';

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
  status: 'PASS' | 'FAIL' | 'NOT RUN';
  points: number;
  maxPoints: number;
  passed: number;
  total: number;
  firstFailure?: { check: string; file: string; message: string };
}

export interface Certificate {
  sqlDir: string;
  server: string;
  finishedAt: string;
  certified: boolean;
  score: number;
  maxScore: number;
  criteria: CriterionResult[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Partial credit per criterion: its points × passed checks / checks that carry its tag. */
export function gradeCriterion(criterion: Criterion, checks: CheckOutcome[]): CriterionResult {
  const mine = checks.filter((c) => c.tags.includes(criterion.tag));
  const passed = mine.filter((c) => c.status === 'passed').length;
  const failed = mine.find((c) => c.status === 'failed');
  const status = mine.length === 0 ? 'NOT RUN' : failed ? 'FAIL' : 'PASS';
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

export function certify(checks: CheckOutcome[], sqlDir: string, server: string): Certificate {
  const criteria = CRITERIA.map((c) => gradeCriterion(c, checks));
  return {
    sqlDir,
    server,
    finishedAt: new Date().toISOString(),
    certified: criteria.every((c) => c.status === 'PASS'),
    score: round2(criteria.reduce((s, c) => s + c.points, 0)),
    maxScore: criteria.reduce((s, c) => s + c.maxPoints, 0),
    criteria,
  };
}
