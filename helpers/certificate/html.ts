/**
 * certification.html: the certificate as one self-contained page (inline CSS, no script, no
 * network): the verdict, every criterion with a score bar, and the failures grouped by criterion
 * with have/want/fix, the shrunk counterexample and a command that replays the check.
 */
import { parsePropertyFailure } from './failure-text.js';
import type { Certificate, CheckOutcome, CriterionResult } from './grade.js';
import { verdict } from './render.js';

export const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Shared page frame: the class summary and lab report use it too. */
export function htmlPage(title: string, body: string, extraCss = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:24px;color:#1d2330;background:#fafbfc}
h1{font-size:1.6em;margin:0 0 .3em}h2{margin-top:1.6em;border-bottom:1px solid #dde1e6;padding-bottom:.2em}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e6e9ee;vertical-align:top}
th{background:#f0f2f5;font-weight:600}pre{background:#f4f5f7;padding:8px 10px;overflow-x:auto;white-space:pre-wrap;margin:.4em 0;font-size:13px}
code{font-size:13px}.bar{background:#e6e9ee;border-radius:3px;height:12px;width:160px;display:inline-block;vertical-align:middle}
.bar>span{display:block;height:100%;border-radius:3px;background:#2f9e44}.FAIL .bar>span,.bar.low>span{background:#e03131}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;background:#868e96}
.badge.PASS,.badge.CERTIFIED{background:#2f9e44}.badge.FAIL,.badge.NOT{background:#e03131}.badge.PARTIAL{background:#f08c00}
.verdict{font-size:1.25em;font-weight:600}.muted{color:#5c6370}.check{background:#fff;border:1px solid #e6e9ee;border-radius:6px;padding:10px 14px;margin:10px 0}
dl.hw{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:.4em 0}dl.hw dt{font-weight:600}dl.hw dd{margin:0;font-family:ui-monospace,monospace;font-size:13px;white-space:pre-wrap}
dd.fix{color:#0b7285}
${extraCss}
</style></head><body>
${body}
</body></html>
`;
}

export function scoreBar(points: number, max: number): string {
  const pct = max > 0 ? Math.max(0, Math.min(100, (100 * points) / max)) : 0;
  return `<span class="bar${pct < 50 ? ' low' : ''}" role="img" aria-label="${pct.toFixed(0)} %"><span style="width:${pct.toFixed(1)}%"></span></span>`;
}

interface ParsedFailure {
  check: string;
  have?: string;
  want?: string;
  fix?: string;
  counterexample?: string;
  seed?: string;
  rest: string;
}

/** Splits a failure message into its pgTAP-style parts; what is not one of them stays as text. */
export function parseFailure(message: string): ParsedFailure {
  const lines = message.split('\n');
  const out: ParsedFailure = { check: lines[0] ?? '', rest: '' };
  const rest: string[] = [];
  const indent = (line: string) => line.length - line.trimStart().length;
  // A field's value may continue on the lines below it, indented deeper than the field.
  let field: { name: 'have' | 'want' | 'fix'; indent: number; lines: string[] } | undefined;
  const close = () => {
    if (!field) return;
    const [head, ...more] = field.lines;
    const common = Math.min(...more.map(indent), Number.MAX_SAFE_INTEGER);
    out[field.name] = [...(head!.trim() ? [head!.trim()] : []), ...more.map((l) => l.slice(common))].join('\n');
    field = undefined;
  };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = /^(\s*)(have|want|fix|next): ?(.*)$/.exec(line);
    if (marker) {
      close();
      // "next:" (what to build first) is shown as the fix.
      const name = marker[2] === 'next' ? 'fix' : (marker[2] as 'have' | 'want' | 'fix');
      field = { name, indent: marker[1]!.length, lines: [marker[3]!] };
    } else if (field && line.trim() && indent(line) > field.indent) field.lines.push(line);
    else if (/^counterexample \(shrunk/.test(line)) {
      close();
      const body: string[] = [];
      for (i++; i < lines.length && !/^replay: /.test(lines[i]!); i++) body.push(lines[i]!);
      out.counterexample = body.join('\n');
      i--;
    } else if (/^replay: FC_SEED=/.test(line)) out.seed = line.slice('replay: FC_SEED='.length);
    else {
      close();
      rest.push(line);
    }
  }
  close();
  // A raw fast-check report that was not rewritten still yields its seed.
  out.seed ??= parsePropertyFailure(message)?.seed;
  out.rest = rest.join('\n').trim();
  return out;
}

const regexEscape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The shell command that reruns one check against the same SQL folder (with the failing seed). */
export function replayCommand(sqlDir: string, check: CheckOutcome, seed?: string): string {
  const leaf = check.name.split(' > ').at(-1) ?? check.name;
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return `${seed ? `FC_SEED=${seed} ` : ''}SQL_DIR=${quote(sqlDir)} npx vitest run ${check.file} -t ${quote(regexEscape(leaf))}`;
}

function failureBlock(sqlDir: string, checks: CheckOutcome[]): string {
  const first = checks[0]!;
  const f = parseFailure(first.message ?? 'failed');
  const fields = (['have', 'want', 'fix'] as const)
    .filter((k) => f[k] !== undefined)
    .map((k) => `<dt>${k}</dt><dd class="${k}">${escapeHtml(f[k]!)}</dd>`)
    .join('');
  const names = checks
    .slice(0, 12)
    .map((c) => `<li>${escapeHtml(c.name)} <span class="muted">[${escapeHtml(c.file)}]</span></li>`)
    .join('');
  const more = checks.length > 12 ? `<li class="muted">… and ${checks.length - 12} more with the same message</li>` : '';
  return `<div class="check">
<div><strong>${escapeHtml(f.check)}</strong></div>
${fields ? `<dl class="hw">${fields}</dl>` : ''}
${f.rest ? `<pre>${escapeHtml(f.rest)}</pre>` : ''}
${f.counterexample ? `<div class="muted">smallest failing input (shrunk):</div><pre class="counterexample">${escapeHtml(f.counterexample)}</pre>` : ''}
<div class="muted">${checks.length === 1 ? 'check' : `${checks.length} checks with this message`}:</div><ul>${names}${more}</ul>
<div class="muted">replay:</div><pre class="replay">${escapeHtml(replayCommand(sqlDir, first, f.seed))}</pre>
</div>`;
}

function criterionFailures(cert: Certificate, criterion: CriterionResult, checks: CheckOutcome[]): string {
  const failed = checks.filter((c) => c.status === 'failed' && c.tags.includes(criterion.tag));
  if (failed.length === 0) return '';
  const byMessage = new Map<string, CheckOutcome[]>();
  for (const c of failed) byMessage.set(c.message ?? '', [...(byMessage.get(c.message ?? '') ?? []), c]);
  return `<section class="criterion-failures" id="fail-${escapeHtml(criterion.tag)}">
<h3>${escapeHtml(criterion.title)} <span class="muted">— ${failed.length} of ${criterion.total} checks failed</span></h3>
${[...byMessage.values()].map((group) => failureBlock(cert.sqlDir, group)).join('\n')}
</section>`;
}

export function renderHtml(cert: Certificate, checks: CheckOutcome[], runError?: string): string {
  const word = verdict(cert);
  const rows = cert.criteria
    .map(
      (c) => `<tr class="${c.status.replace(' ', '-')}">
<td><span class="badge ${c.status.split(' ')[0]}">${escapeHtml(c.status)}</span></td>
<td><strong>${escapeHtml(c.title)}</strong><div class="muted">${escapeHtml(c.description)}</div></td>
<td>${scoreBar(c.points, c.maxPoints)} ${c.status === 'NOT RUN' ? '—' : `${c.points}/${c.maxPoints}`}</td>
<td>${c.passed}/${c.total}${c.status === 'FAIL' ? ` <a href="#fail-${escapeHtml(c.tag)}">failures</a>` : ''}</td></tr>`,
    )
    .join('\n');
  const failures = cert.criteria.map((c) => criterionFailures(cert, c, checks)).join('\n');
  const harness = checks.filter((c) => c.status === 'failed' && c.tags.length === 0);
  const body = `<h1>Arcane Commerce certification</h1>
<p class="verdict" id="verdict"><span class="badge ${cert.certified ? 'CERTIFIED' : 'NOT'}">${cert.certified ? 'CERTIFIED' : 'NOT CERTIFIED'}</span>
<span id="score">${cert.score}/${cert.maxScore}</span> points — ${escapeHtml(word)}</p>
<p class="muted">SQL folder <code>${escapeHtml(cert.sqlDir)}</code> · ${escapeHtml(cert.server)} · finished ${escapeHtml(cert.finishedAt)} · ${checks.length} checks</p>
${runError ? `<p class="check"><strong>${escapeHtml(runError)}</strong></p>` : ''}
<h2>Criteria</h2>
<table id="criteria"><thead><tr><th>status</th><th>criterion</th><th>points</th><th>checks</th></tr></thead><tbody>
${rows}
</tbody></table>
${failures || harness.length ? `<h2>Failures by criterion</h2>\n${failures}` : '<h2>Failures</h2><p>None: every check passed.</p>'}
${harness.length ? `<section><h3>Harness checks</h3>${failureBlock(cert.sqlDir, harness)}</section>` : ''}
<h2>Replay</h2>
<p>Rerun the whole certification on this folder:</p><pre>npm run certify -- ${escapeHtml(cert.sqlDir)}</pre>
<p class="muted">A property-based check prints its seed; <code>FC_SEED=&lt;seed&gt;</code> replays the same random cases.</p>`;
  return htmlPage(`Certification — ${cert.sqlDir}`, body);
}
