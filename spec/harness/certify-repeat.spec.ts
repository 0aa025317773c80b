/** The stability verdict of `npm run certify -- --repeat N`: its argument and its comparison of runs. */
import { describe, expect, it } from 'vitest';
import { parseRepeat, unstableChecks } from '../../scripts/certify-repeat.js';

const check = (name: string, status: string) => ({ file: 'spec/x.spec.ts', name, status });

describe('harness · certify --repeat', () => {
  it('reads --repeat N and --repeat=N, and leaves the other arguments in order', () => {
    expect(parseRepeat(['--repeat', '10', 'sql', '-t', 'x'])).toEqual({ times: 10, rest: ['sql', '-t', 'x'] });
    expect(parseRepeat(['alt', '--repeat=3'])).toEqual({ times: 3, rest: ['alt'] });
    expect(parseRepeat(['sql'])).toBeUndefined();
    expect(() => parseRepeat(['--repeat', '1'])).toThrow(/>= 2/);
  });

  it('identical runs are stable; a check that passes once and fails once is not, nor one missing from a run', () => {
    const a = [check('p', 'passed'), check('q', 'failed')];
    expect(unstableChecks([a, a, a])).toEqual([]);
    expect(unstableChecks([a, [check('p', 'failed'), check('q', 'failed')]])).toEqual([
      { check: 'spec/x.spec.ts › p', statuses: ['passed', 'failed'] },
    ]);
    expect(unstableChecks([a, [check('p', 'passed')]])).toEqual([
      { check: 'spec/x.spec.ts › q', statuses: ['failed', 'absent'] },
    ]);
  });
});
