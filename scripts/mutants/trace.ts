/**
 * The traceability table: every clause of CONTRACT.md → the checks that claim it → the mutants
 * that break it and were killed by those checks' criterion. Built from the contract's markers,
 * the specs' `// clause:` comments and the catalogue's mutant.json files, never kept by hand.
 */
import type { Mutant } from './catalogue.js';
import type { SpecFile } from './checks.js';
import type { Clause } from './clauses.js';

export type MutantOutcome = 'killed' | 'partial' | 'survived' | 'unrelated' | 'crashed' | 'not run';

export interface TraceRow {
  clause: Clause;
  checks: { file: string; title: string; tags: string[] }[];
  mutants: { name: string; outcome: MutantOutcome }[];
  /** covered: a check claims it and a mutant of it was killed by a file holding such a check. */
  status: 'covered' | 'no check' | 'no mutant' | 'no kill';
}

export interface Trace {
  rows: TraceRow[];
  /** Inconsistencies of the catalogue or the annotations themselves. */
  errors: string[];
}

export function buildTrace(
  clauses: Clause[],
  unclassified: string[],
  specs: SpecFile[],
  mutants: Mutant[],
  outcomes: Map<string, MutantOutcome>,
): Trace {
  const errors = unclassified.map((u) => `unclassified contract text (add <!-- clause: id --> or <!-- informative -->): ${u}`);
  const known = new Set(clauses.map((c) => c.id));
  const byFile = new Map(specs.map((s) => [s.file, s]));
  for (const spec of specs)
    for (const claim of spec.claims)
      for (const id of claim.clauses) if (!known.has(id)) errors.push(`${spec.file}:${claim.line}: unknown clause ${id}`);
  for (const mutant of mutants) {
    if (mutant.engine) {
      if (mutant.clauses.length > 0) errors.push(`mutant ${mutant.name}: an engine mutant (killedBy engine/) names clauses`);
      continue;
    }
    if (mutant.clauses.length === 0) errors.push(`mutant ${mutant.name}: names no clause`);
    for (const id of mutant.clauses) if (!known.has(id)) errors.push(`mutant ${mutant.name}: unknown clause ${id}`);
    for (const file of mutant.killedBy) {
      const spec = byFile.get(file);
      if (!spec) errors.push(`mutant ${mutant.name}: killedBy ${file} is not a spec file`);
      else if (!spec.tags.includes(mutant.criterion))
        errors.push(`mutant ${mutant.name}: killedBy ${file} carries no check of its criterion ${mutant.criterion}`);
    }
    for (const id of mutant.clauses) {
      const claimed = mutant.killedBy.some((f) => byFile.get(f)?.claims.some((c) => c.clauses.includes(id)));
      if (!claimed) errors.push(`mutant ${mutant.name}: none of its killedBy files claims clause ${id}`);
    }
  }
  const rows = clauses.map((clause): TraceRow => {
    const checks = specs.flatMap((s) =>
      s.claims.filter((c) => c.clauses.includes(clause.id)).map((c) => ({ file: s.file, title: c.title, tags: s.tags })),
    );
    const own = mutants.filter((m) => m.clauses.includes(clause.id));
    const rowMutants = own.map((m) => ({ name: m.name, outcome: outcomes.get(m.name) ?? ('not run' as const) }));
    const status =
      checks.length === 0
        ? 'no check'
        : own.length === 0
          ? 'no mutant'
          : rowMutants.some((m) => m.outcome === 'killed')
            ? 'covered'
            : 'no kill';
    return { clause, checks, mutants: rowMutants, status };
  });
  return { rows, errors };
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function renderTrace(trace: Trace): string {
  const shortFile = (f: string) => f.replace(/^spec\//, '').replace(/\.spec\.ts$/, '');
  const lines = [
    '| clause | contract says | checks that can fail it | mutants (outcome) | status |',
    '| --- | --- | --- | --- | --- |',
    ...trace.rows.map((r) => {
      const checks = [...new Set(r.checks.map((c) => `${shortFile(c.file)} › ${c.title}`))].join('<br>') || '—';
      const mutants = r.mutants.map((m) => `${m.name} (${m.outcome})`).join('<br>') || '—';
      const text = r.clause.text.length > 90 ? `${r.clause.text.slice(0, 87)}…` : r.clause.text;
      return `| ${r.clause.id} | ${cell(text)} | ${cell(checks)} | ${mutants} | ${r.status} |`;
    }),
  ];
  const covered = trace.rows.filter((r) => r.status === 'covered').length;
  lines.push('', `${covered} of ${trace.rows.length} clauses covered (a check claims it and one of its mutants was killed).`);
  return lines.join('\n');
}
