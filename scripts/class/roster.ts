/**
 * Who is in the class: every sub-folder of a folder (named after it), or the rows of a roster
 * CSV `name,folder` (a header row is optional; folders relative to the CSV's own folder).
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export interface Student {
  /** Safe as a folder name: the student's reports go to <out>/<name>/. */
  name: string;
  folder: string;
}

const SAFE = /[^A-Za-z0-9._-]+/g;

function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

export async function loadRoster(source: string): Promise<Student[]> {
  const stat = await fs.stat(source).catch(() => undefined);
  if (!stat) throw new Error(`no such folder or roster file: ${source}`);
  let students: Student[];
  if (stat.isDirectory()) {
    const entries = await fs.readdir(source, { withFileTypes: true });
    students = entries
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => ({ name: e.name, folder: path.join(source, e.name) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  } else {
    const rows = (await fs.readFile(source, 'utf8'))
      .split(/\r?\n/)
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map(csvCells);
    if (rows[0] && /^(name|student)$/i.test(rows[0][0] ?? '')) rows.shift();
    students = rows.map((cells, i) => {
      const [name, folder] = cells;
      if (!name || !folder) throw new Error(`${source}, data row ${i + 1}: want "name,folder", got "${cells.join(',')}"`);
      return { name, folder: path.resolve(path.dirname(source), folder) };
    });
  }
  const seen = new Set<string>();
  for (const s of students) {
    const safe = s.name.replace(SAFE, '_');
    if (seen.has(safe)) throw new Error(`two students would share the report folder ${safe}; names must differ`);
    seen.add(safe);
    s.name = safe;
  }
  if (students.length === 0) throw new Error(`${source} lists no students (want sub-folders, or CSV rows "name,folder")`);
  return students;
}
