/**
 * The normative clauses of CONTRACT.md. A clause is a line (a bullet with its continuation lines,
 * a paragraph, a table row) carrying `<!-- clause: id -->`; a marker in a table's header row
 * covers the rows that carry none. `<!-- informative -->` on a heading exempts its section (down
 * to the next heading of the same or a higher level), on any other line that unit alone.
 * Every other bullet, paragraph and table row is an error: a new sentence must be classified.
 */
import fs from 'node:fs/promises';

export interface Clause {
  id: string;
  /** The sentence(s) as written, markers removed, for the table. */
  text: string;
  line: number;
  section: string;
}

export interface ContractClauses {
  clauses: Clause[];
  /** Lines that are neither a clause nor informative (`CONTRACT.md:line: text`). */
  unclassified: string[];
}

const CLAUSE = /<!--\s*clause:\s*([a-z0-9.-]+)\s*-->/g;
const INFORMATIVE = /<!--\s*informative\b[^>]*-->/; // `<!-- informative -->`, or with a reason after a colon

const strip = (text: string) =>
  text
    .replace(/<!--.*?-->/g, '')
    .replace(/\s+/g, ' ')
    .trim();

export function parseClauses(markdown: string): ContractClauses {
  const lines = markdown.split('\n');
  const clauses: Clause[] = [];
  const unclassified: string[] = [];
  let section = '';
  let informativeLevel = 0; // heading level of the informative section we are in, 0 = none
  let fenced = false;
  let tableId: string | undefined;
  let tableHeader = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('```')) {
      fenced = !fenced;
      continue;
    }
    if (fenced || line.trim() === '' || line.trim().startsWith('<!--')) {
      if (line.trim() === '') tableId = undefined;
      continue;
    }
    const heading = /^(#+)\s+(.*)$/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      if (informativeLevel && level <= informativeLevel) informativeLevel = 0;
      if (INFORMATIVE.test(line) && !informativeLevel) informativeLevel = level;
      section = strip(heading[2]!);
      continue;
    }
    // A unit: this line plus its continuation lines (indented, not a new bullet/row/heading).
    const start = i;
    let end = i;
    const isRow = line.startsWith('|');
    if (!isRow) {
      while (end + 1 < lines.length) {
        const next = lines[end + 1] ?? '';
        if (
          next.trim() === '' ||
          /^\s*([-*]|\d+\.)\s/.test(next) ||
          next.startsWith('|') ||
          next.startsWith('#') ||
          next.startsWith('```')
        )
          break;
        if (/^\s*[-*]\s/.test(line) && !/^\s+/.test(next)) break;
        end++;
      }
    }
    const unit = lines.slice(i, end + 1).join(' ');
    const ids = [...unit.matchAll(CLAUSE)].map((m) => m[1]!);
    if (isRow) {
      const startsTable = !tableHeader && tableId === undefined && /^\|\s*[-:]/.test(lines[i + 1] ?? '');
      if (startsTable) {
        tableId = ids[0] ?? '';
        tableHeader = true;
        i = end + 1; // skip the |---| line
        continue;
      }
      tableHeader = false;
    }
    i = end;
    if (informativeLevel || INFORMATIVE.test(unit)) continue;
    const own = ids.length > 0 ? ids : isRow && tableId ? [tableId] : [];
    if (own.length === 0) {
      unclassified.push(`CONTRACT.md:${start + 1}: ${strip(unit).slice(0, 100)}`);
      continue;
    }
    for (const id of own) {
      const existing = clauses.find((c) => c.id === id);
      if (existing) existing.text = `${existing.text} ${strip(unit)}`;
      else clauses.push({ id, text: strip(unit), line: start + 1, section });
    }
  }
  return { clauses, unclassified };
}

export async function loadClauses(file = 'CONTRACT.md'): Promise<ContractClauses> {
  return parseClauses(await fs.readFile(file, 'utf8'));
}
