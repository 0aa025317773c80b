/**
 * What the lab writes to reports/lab/<timestamp>/: explain-before.log, explain-after.log,
 * summary.md and summary.json.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { JoinRun } from './join-experiment.js';

export interface Machine {
  serverVersion: string;
  serverKind: string;
  cores: number;
  cpuModel: string;
  memoryGiB: number;
}

/** An EXPLAIN (ANALYZE, BUFFERS) log: what was run, on what, and the plan as PostgreSQL printed it. */
export function explainLog(
  title: string,
  run: JoinRun,
  context: { machine: Machine; orders: number; query: string; indexes: string[] },
): string {
  const seqScans = run.accesses.filter((a) => a.nodeType === 'Seq Scan').map((a) => a.relation);
  // Figures of the run printed below (the text run), not of the JSON run the checks use.
  const execution = /Execution Time: ([\d.]+) ms/.exec(run.text)?.[1] ?? '?';
  const buffers = /Buffers: (shared [^\n]*)/.exec(run.text)?.[1] ?? 'no buffers';
  return [
    `-- ${title}`,
    `-- PostgreSQL ${context.machine.serverVersion} (${context.machine.serverKind}), ${context.machine.cores} cores (${context.machine.cpuModel}), ${context.orders.toLocaleString('en')} synthesized orders`,
    `-- Indexes on join columns: ${context.indexes.length ? context.indexes.join('; ') : 'none'}`,
    `-- Seq Scans: ${seqScans.length ? seqScans.join(', ') : 'none'} · execution ${execution} ms · ${buffers}`,
    '--',
    ...context.query
      .trim()
      .split('\n')
      .map((l) => `-- ${l}`),
    '',
    'EXPLAIN (ANALYZE, BUFFERS)',
    run.text,
    '',
  ].join('\n');
}

export async function writeFileIn(dir: string, name: string, text: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  await fs.writeFile(file, text);
  return file;
}

/** A Markdown table; numbers are printed as given. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n',
  );
}
