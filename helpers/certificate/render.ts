import type { Certificate, CheckOutcome } from './grade.js';

const firstLines = (text: string, n: number) =>
  text
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, n);

/** The certificate printed at the end of every run. */
export function renderText(cert: Certificate): string {
  const width = Math.max(...cert.criteria.map((c) => c.title.length));
  const lines = ['', `══ Arcane Commerce certification ══  SQL: ${cert.sqlDir}  ·  ${cert.server}`];
  // The same cause (say, no tables yet) often fails many criteria: its text is printed once.
  const printed = new Map<string, string>();
  for (const c of cert.criteria) {
    const score = c.status === 'NOT RUN' ? '   —   ' : `${c.points.toFixed(2).padStart(5)}/${String(c.maxPoints).padEnd(2)}`;
    lines.push(`${c.status.padEnd(7)} ${c.title.padEnd(width)}  ${score}  (${c.passed}/${c.total} checks)`);
    if (!c.firstFailure) continue;
    const seen = printed.get(c.firstFailure.message);
    if (seen) {
      lines.push(`        first failure: the same as ${seen}'s`);
      continue;
    }
    printed.set(c.firstFailure.message, c.title);
    lines.push(`        first failure: ${c.firstFailure.check}  [${c.firstFailure.file}]`);
    for (const l of firstLines(c.firstFailure.message, 8)) lines.push(`          ${l}`);
  }
  lines.push(`TOTAL   ${cert.score}/${cert.maxScore} — ${verdict(cert)}`);
  if (!cert.run.complete) lines.push(`        ${partialRunNote(cert)}`);
  lines.push('');
  return lines.join('\n');
}

/** The one-line verdict; a filtered run is never a certificate, whatever its checks said. */
export function verdict(cert: Certificate): string {
  if (cert.certified) return 'CERTIFIED';
  // In a partial run a criterion with no check in the filter is not a failure, just not run.
  const failing = cert.criteria.filter((c) => c.status === 'FAIL' || (cert.run.complete && c.status === 'NOT RUN')).length;
  if (failing === 0 && cert.failedChecks > 0)
    return `NOT CERTIFIED (${cert.failedChecks} check(s) outside the criteria failed: the harness or the SQL folder; see above)`;
  if (!cert.run.complete && failing === 0) return 'PARTIAL RUN — not a certificate (every check that ran passed)';
  return `NOT CERTIFIED (${failing} of ${cert.criteria.length} criteria not passed${cert.run.complete ? '' : ' in a partial run'})`;
}

export function partialRunNote(cert: Certificate): string {
  const parts: string[] = [];
  if (cert.run.filesNotRun.length > 0) parts.push(`${cert.run.filesNotRun.length} spec file(s) not run`);
  if (cert.run.checksFilteredOut > 0) parts.push(`${cert.run.checksFilteredOut} check(s) filtered out`);
  return `partial run (${parts.join(', ')}): PARTIAL means every check that ran passed; run without filters to certify`;
}

export function renderMarkdown(cert: Certificate): string {
  const rows = cert.criteria.map((c) => {
    const hint = c.firstFailure
      ? `${c.firstFailure.check}: ${firstLines(c.firstFailure.message, 3).join(' ⏎ ').replace(/\|/g, '\\|')}`
      : '';
    return `| ${c.status} | ${c.title} | ${c.status === 'NOT RUN' ? '—' : `${c.points}/${c.maxPoints}`} | ${c.passed}/${c.total} | ${hint} |`;
  });
  return [
    '# Arcane Commerce certification',
    '',
    `- SQL folder: \`${cert.sqlDir}\``,
    `- Server: ${cert.server}`,
    `- Finished: ${cert.finishedAt}`,
    `- Result: **${verdict(cert)}**, ${cert.score}/${cert.maxScore} points`,
    ...(cert.run.complete ? [] : [`- ${partialRunNote(cert)}`]),
    '',
    '| status | criterion | points | checks | first failure |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/**
 * Gradescope autograder results.json: one test per check, scored by its criteria's partial credit,
 * each naming the criteria it counts for (title and what the assignment asks) and visible to the student.
 */
export function renderGradescope(cert: Certificate, checks: CheckOutcome[]): unknown {
  const perCheck = new Map<string, number>();
  const criterion = new Map(cert.criteria.map((c) => [c.tag, c]));
  for (const c of cert.criteria) perCheck.set(c.tag, c.total ? c.maxPoints / c.total : 0);
  const tests = checks.map((check) => {
    const max = check.tags.reduce((s, t) => s + (perCheck.get(t) ?? 0), 0);
    const counts = check.tags
      .map((t) => criterion.get(t))
      .filter((c) => c !== undefined)
      .map((c) => `${c.title}: ${c.description}`);
    const output = [check.message ?? '', counts.length ? `Counts for — ${counts.join(' · ')}` : 'Harness check (no points)']
      .filter(Boolean)
      .join('\n\n');
    return {
      name: check.name,
      score: check.status === 'passed' ? Math.round(max * 1000) / 1000 : 0,
      max_score: Math.round(max * 1000) / 1000,
      status: check.status,
      output,
      tags: check.tags,
      visibility: 'visible',
      execution_time: check.seconds,
    };
  });
  return {
    score: cert.score,
    execution_time: checks.reduce((s, c) => s + c.seconds, 0),
    output: renderText(cert),
    visibility: 'visible',
    stdout_visibility: 'visible',
    tests,
  };
}
