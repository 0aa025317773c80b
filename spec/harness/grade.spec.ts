/**
 * The grade computation decides every verdict; a bug here certifies wrong work silently.
 * Unit cases for the rules, then properties over random outcomes against a plain restatement.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRITERIA } from '../../contract/rubric.js';
import { type CheckOutcome, certify, type RunCompleteness } from '../../helpers/certificate/grade.js';
import { renderJunit } from '../../helpers/certificate/junit.js';
import { verdict } from '../../helpers/certificate/render.js';

const complete: RunCompleteness = { complete: true, filesNotRun: [], checksFilteredOut: 0 };
const filtered: RunCompleteness = { complete: false, filesNotRun: [], checksFilteredOut: 3 };
const check = (tags: string[], status: 'passed' | 'failed', name = `c-${tags.join('+')}-${status}`): CheckOutcome => ({
  file: 'spec/x.spec.ts',
  name,
  tags,
  status,
  seconds: 0,
});
const allPassing = () => CRITERIA.map((c) => check([c.tag], 'passed'));

describe('harness · grade computation', () => {
  it('certifies a complete run where every criterion has checks and all pass', () => {
    const cert = certify(allPassing(), 'sql', 'test', complete);
    expect(cert.certified).toBe(true);
    expect(cert.score).toBe(cert.maxScore);
    expect(cert.criteria.every((c) => c.status === 'PASS')).toBe(true);
  });

  it('never certifies a filtered run, even when every check that ran passed', () => {
    const cert = certify(allPassing(), 'sql', 'test', filtered);
    expect(cert.certified).toBe(false);
    expect(cert.criteria.every((c) => c.status === 'PARTIAL')).toBe(true);
    expect(verdict(cert)).toMatch(/^PARTIAL RUN/);
  });

  it('a criterion without checks is NOT RUN and blocks the certificate', () => {
    const cert = certify(allPassing().slice(1), 'sql', 'test', complete);
    expect(cert.criteria[0]!.status).toBe('NOT RUN');
    expect(cert.certified).toBe(false);
  });

  it('a failing check without a criterion (the harness) blocks the certificate', () => {
    const cert = certify([...allPassing(), check([], 'failed', 'harness')], 'sql', 'test', complete);
    expect(cert.criteria.every((c) => c.status === 'PASS')).toBe(true);
    expect(cert.certified).toBe(false);
    expect(verdict(cert)).toMatch(/^NOT CERTIFIED \(1 check\(s\) outside the criteria failed/);
    expect(verdict({ ...cert, run: filtered })).not.toMatch(/^PARTIAL RUN/);
  });

  it('partial credit is points × passed ÷ checks, and the first failure is named', () => {
    const tag = CRITERIA[0]!.tag;
    const cert = certify(
      [check([tag], 'passed', 'a'), check([tag], 'failed', 'b'), ...allPassing().slice(1)],
      'sql',
      't',
      complete,
    );
    expect(cert.criteria[0]!.points).toBe(Math.round((CRITERIA[0]!.points / 2) * 100) / 100);
    expect(cert.criteria[0]!.firstFailure?.check).toBe('b');
  });

  it('property: certified ⇔ complete run ∧ every criterion has a check ∧ no check failed; score within bounds', () => {
    const tags = CRITERIA.map((c) => c.tag);
    const outcome = fc.record({
      tags: fc.subarray(tags, { minLength: 0, maxLength: 3 }),
      failed: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(outcome, { maxLength: 40 }), fc.boolean(), (outcomes, isComplete) => {
        const checks = outcomes.map((o, i) => check(o.tags, o.failed ? 'failed' : 'passed', `c${i}`));
        const cert = certify(checks, 'sql', 't', isComplete ? complete : filtered);
        const covered = tags.every((t) => checks.some((c) => c.tags.includes(t)));
        const expected = isComplete && covered && checks.every((c) => c.status === 'passed');
        expect(cert.certified).toBe(expected);
        expect(cert.score).toBeGreaterThanOrEqual(0);
        expect(cert.score).toBeLessThanOrEqual(cert.maxScore);
        for (const c of cert.criteria) {
          const mine = checks.filter((k) => k.tags.includes(c.tag));
          expect(c.total).toBe(mine.length);
          if (mine.some((k) => k.status === 'failed')) expect(c.status).toBe('FAIL');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('harness · JUnit report', () => {
  it('a run with no check is one errored case, never tests="0" failures="0"', () => {
    const xml = renderJunit([], 'the global setup failed');
    expect(xml).toMatch(/<testsuites[^>]*tests="1"[^>]*errors="1"/);
    expect(xml).toContain('the global setup failed');
  });

  it('counts failures and escapes what a submission can put into a message', () => {
    const xml = renderJunit([{ ...check(['task1'], 'failed'), message: '<b>"x" & \u001b[32mgreen' }]);
    expect(xml).toMatch(/failures="1" errors="0"/);
    expect(xml).toContain('&lt;b&gt;&quot;x&quot; &amp; [32mgreen');
    expect(xml).not.toContain('\u001b');
  });
});
