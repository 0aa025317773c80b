/**
 * The certificate as people read it: fast-check failures rewritten with the failed assertion
 * first, have/want/fix split out for the HTML page, replay commands that a shell reads back
 * unchanged, Gradescope entries naming their criteria, and the roster of a class.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CRITERIA } from '../../contract/rubric.js';
import { failureText, readableCounterexample } from '../../helpers/certificate/failure-text.js';
import { type CheckOutcome, certify } from '../../helpers/certificate/grade.js';
import { parseFailure, renderHtml, replayCommand } from '../../helpers/certificate/html.js';
import { renderGradescope } from '../../helpers/certificate/render.js';
import { loadRoster } from '../../scripts/class/roster.js';

const FAST_CHECK_REPORT = `Property failed after 2 tests
{ seed: -208390172, path: "1:0:1", endOnFailure: true }
Counterexample: [{"history":{"orders":[{"at":1730419200000000n,"lines":[{"quantity":1,"unitPrice":"60.01"}]}]},"zone":"UTC"}]
Shrunk 34 time(s)

Hint: Enable verbose mode in order to have the list of all failing values encountered during the run`;

const ASSERTION = 'curve day 2024-11-02\n    have: 1\n    want: 2\n  fix: ROWS BETWEEN 6 PRECEDING AND CURRENT ROW';

describe('harness · certificate pages', () => {
  it('a property failure reads as its assertion (fix included), the shrunk input and the seed', () => {
    const text = failureText({ message: FAST_CHECK_REPORT, cause: { message: ASSERTION } });
    expect(text.startsWith(ASSERTION)).toBe(true);
    expect(text).toContain('counterexample (shrunk 34 times):');
    expect(text).toContain('at: 2024-11-01T00:00:00Z');
    expect(text).toContain('replay: FC_SEED=-208390172');
    expect(text).not.toContain('Hint: Enable verbose');
  });

  it('a message that is not a fast-check report is left as it is', () => {
    expect(failureText({ message: ASSERTION })).toBe(ASSERTION);
    expect(readableCounterexample('new Map([[1, 2]])')).toBe('new Map([[1, 2]])');
  });

  it('have, want and fix (with continuation lines), counterexample and seed are split out', () => {
    const parsed = parseFailure(
      `${failureText({ message: FAST_CHECK_REPORT, cause: { message: 'rows differ\n    have:\n        a: 1\n        b: 2\n    want: x\n  fix: do y' } })}`,
    );
    expect(parsed).toMatchObject({ check: 'rows differ', have: 'a: 1\nb: 2', want: 'x', fix: 'do y', seed: '-208390172' });
    expect(parsed.counterexample).toContain('unitPrice: "60.01"');
  });

  it('a replay command survives the shell: quotes and regex characters in names', () => {
    const check: CheckOutcome = { file: 'spec/x.spec.ts', name: "d > ana's 10.00 (UTC)", tags: [], status: 'failed', seconds: 0 };
    const command = replayCommand("/tmp/it's here", check, '42');
    const argv = execFileSync('sh', ['-c', `set -- ${command.replace(/^FC_SEED=\S+ SQL_DIR=/, '')}; printf '%s\\n' "$@"`], {
      encoding: 'utf8',
    }).split('\n');
    expect(command.startsWith('FC_SEED=42 ')).toBe(true);
    expect(argv[0]).toBe("/tmp/it's here");
    expect(new RegExp(argv[6]!).test("ana's 10.00 (UTC)")).toBe(true);
  });

  it('the HTML page escapes what the SQL put in a message, and Gradescope entries name their criteria', () => {
    const checks: CheckOutcome[] = CRITERIA.map((c, i) => ({
      file: 'spec/x.spec.ts',
      name: `check ${i}`,
      tags: [c.tag],
      status: i === 0 ? 'failed' : 'passed',
      message: i === 0 ? 'x\n    have: <script>alert(1)</script>\n    want: y' : undefined,
      seconds: 0,
    }));
    const cert = certify(checks, 'sql', 'test');
    const html = renderHtml(cert, checks);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;');
    const results = renderGradescope(cert, checks) as { tests: { output: string; visibility: string }[] };
    expect(results.tests[1]!.output).toContain(CRITERIA[1]!.description);
    expect(results.tests.every((t) => t.visibility === 'visible')).toBe(true);
  });

  it('a roster CSV names folders relative to itself; two students may not share a report folder', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'arcane-roster-'));
    try {
      await fs.writeFile(path.join(dir, 'roster.csv'), 'name,folder\n"Doe, Jane",work/jane\nbob,/abs/bob\n');
      expect(await loadRoster(path.join(dir, 'roster.csv'))).toEqual([
        { name: 'Doe_Jane', folder: path.join(dir, 'work', 'jane') },
        { name: 'bob', folder: '/abs/bob' },
      ]);
      await fs.writeFile(path.join(dir, 'twins.csv'), 'a b,x\na/b,y\n');
      await expect(loadRoster(path.join(dir, 'twins.csv'))).rejects.toThrow(/share the report folder/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
