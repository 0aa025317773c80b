import { readFileSync } from 'node:fs';

/**
 * The names CONTRACT.md documents: every identifier in its code spans and fenced code, and in the
 * first two cells of its table rows (where the tables name columns without backticks). A line that
 * says the specs do not use something documents nothing for them.
 */
export function documentedNames(contractPath: string): Set<string> {
  const names = new Set<string>();
  const add = (text: string) => {
    for (const word of text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) names.add(word.toLowerCase());
  };
  let fenced = false;
  for (const line of readFileSync(contractPath, 'utf8').split('\n')) {
    if (line.trim().startsWith('```')) {
      fenced = !fenced;
      continue;
    }
    if (/specs do not use/i.test(line)) continue;
    if (fenced) {
      add(line);
      continue;
    }
    for (const span of line.match(/`[^`]+`/g) ?? []) add(span);
    if (line.trim().startsWith('|')) for (const cell of line.split('|').slice(1, 3)) add(cell);
  }
  return names;
}
