/** The stability verdict of `npm run certify -- --repeat N`: its comparison of runs (the argument: command-line.spec.ts). */
import { describe, expect, it } from 'vitest';
import { unstableChecks } from '../../scripts/certify-repeat.js';

const check = (name: string, status: string) => ({ file: 'spec/x.spec.ts', name, status });

describe('harness · certify --repeat', () => {
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
