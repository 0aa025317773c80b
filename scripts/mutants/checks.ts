/**
 * Which checks claim which clauses, read from the spec sources: a comment `// clause: id id …`
 * belongs to the next test, suite or case title below it (`it(`, `test(`, `describe(`, or a
 * case's `name: '…'`). A spec file's criteria are the tags its suites declare.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export interface CheckClaim {
  file: string;
  title: string;
  line: number;
  clauses: string[];
}

export interface SpecFile {
  file: string;
  tags: string[];
  claims: CheckClaim[];
}

const ANNOTATION = /^\s*\/\/\s*clause:\s*(.+)$/; // a comment line of its own, never text inside a string
const TITLE = /\b(?:it|test|describe)(?:\.\w+)*(?:\([^)]*\))?\(\s*(['"`])(.*?)\1|\bname:\s*(['"`])(.*?)\3/;

async function specFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await specFiles(full)));
    else if (entry.name.endsWith('.spec.ts')) out.push(full);
  }
  return out.sort();
}

export function scanSpec(file: string, source: string): SpecFile {
  const lines = source.split('\n');
  const tags = new Set<string>();
  for (const match of source.matchAll(/tags:\s*\[([^\]]*)\]/g))
    for (const tag of match[1]!.matchAll(/'([a-z0-9-]+)'/g)) tags.add(tag[1]!);
  const claims: CheckClaim[] = [];
  lines.forEach((line, index) => {
    const annotation = ANNOTATION.exec(line);
    if (!annotation) return;
    const clauses = annotation[1]!.split(/[\s,]+/).filter(Boolean);
    let title = '(file)';
    for (const below of lines.slice(index + 1, index + 40)) {
      const match = TITLE.exec(below);
      if (match) {
        title = match[2] ?? match[4] ?? title;
        break;
      }
    }
    claims.push({ file, title, line: index + 1, clauses });
  });
  return { file, tags: [...tags], claims };
}

export async function scanSpecs(root = 'spec'): Promise<SpecFile[]> {
  const files = await specFiles(root);
  return Promise.all(files.map(async (file) => scanSpec(file, await fs.readFile(file, 'utf8'))));
}
