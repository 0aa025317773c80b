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
  for (const c of cert.criteria) {
    const score = c.status === 'NOT RUN' ? '   —   ' : `${c.points.toFixed(2).padStart(5)}/${String(c.maxPoints).padEnd(2)}`;
    lines.push(`${c.status.padEnd(7)} ${c.title.padEnd(width)}  ${score}  (${c.passed}/${c.total} checks)`);
    if (c.firstFailure) {
      lines.push(`        first failure: ${c.firstFailure.check}  [${c.firstFailure.file}]`);
      for (const l of firstLines(c.firstFailure.message, 8)) lines.push(`          ${l}`);
    }
  }
  const failing = cert.criteria.filter((c) => c.status !== 'PASS').length;
  lines.push(
    `TOTAL   ${cert.score}/${cert.maxScore} — ${cert.certified ? 'CERTIFIED' : `NOT CERTIFIED (${failing} of ${cert.criteria.length} criteria not passed)`}`,
    '',
  );
  return lines.join('\n');
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
    `- Result: **${cert.certified ? 'CERTIFIED' : 'NOT CERTIFIED'}**, ${cert.score}/${cert.maxScore} points`,
    '',
    '| status | criterion | points | checks | first failure |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** Gradescope autograder results.json: one entry per check, scored by its criteria's partial credit. */
export function renderGradescope(cert: Certificate, checks: CheckOutcome[]): unknown {
  const perCheck = new Map<string, number>();
  for (const c of cert.criteria) perCheck.set(c.tag, c.total ? c.maxPoints / c.total : 0);
  const tests = checks.map((check) => {
    const max = check.tags.reduce((s, t) => s + (perCheck.get(t) ?? 0), 0);
    return {
      name: check.name,
      score: check.status === 'passed' ? Math.round(max * 1000) / 1000 : 0,
      max_score: Math.round(max * 1000) / 1000,
      status: check.status,
      output: check.message ?? '',
      tags: check.tags,
      execution_time: check.seconds,
    };
  });
  return { score: cert.score, execution_time: checks.reduce((s, c) => s + c.seconds, 0), output: renderText(cert), tests };
}
