/**
 * The layers run one way (ARCHITECTURE.md): contract data → SQL application → checks → grading →
 * reports. This reads every TypeScript import and fails on an arrow that points back.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE_FOLDERS = ['contract', 'helpers', 'spec', 'engine', 'scripts', 'fixtures'];

interface Rule {
  /** Files the rule applies to (path prefix from the project root). */
  from: string;
  /** Import targets it may not reach: project path prefixes or bare package names. */
  mayNotImport: string[];
  /** Files under `from` the rule leaves out. */
  except?: string;
  why: string;
}

const RULES: Rule[] = [
  {
    from: 'contract/',
    mayNotImport: ['helpers/', 'spec/', 'scripts/', 'fixtures/'],
    why: 'the contract is data every layer reads',
  },
  { from: 'helpers/', mayNotImport: ['spec/', 'scripts/'], why: 'helpers serve specs and scripts, never the reverse' },
  {
    from: 'helpers/oracles/',
    mayNotImport: [
      'pg',
      'vitest',
      'helpers/db/',
      'helpers/vitest/',
      'helpers/server/',
      'helpers/sql/',
      'helpers/race/',
      'helpers/plan/',
    ],
    why: 'oracles are pure TypeScript models of the contract: no database, no test runner',
  },
  {
    from: 'spec/',
    except: 'spec/harness/', // the harness's self-tests test the machinery where it lives, scripts included
    mayNotImport: ['scripts/'],
    why: 'checks do not depend on commands',
  },
  { from: 'engine/', mayNotImport: ['scripts/'], why: 'checks do not depend on commands' },
  { from: 'fixtures/', mayNotImport: ['spec/', 'scripts/'], why: 'fixtures are data' },
];

function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|mts)$/.test(entry.name)) out.push(full);
    }
  };
  walk(path.join(ROOT, folder));
  return out;
}

/** Import specifiers of a file: static imports/exports and dynamic import() with a literal. */
function importsOf(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g)) found.add(m[1]!);
  for (const m of text.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) found.add(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.add(m[1]!);
  return [...found];
}

/** A project-relative path for relative specifiers, the package name for bare ones. */
function target(file: string, specifier: string): string {
  if (specifier.startsWith('.'))
    return path
      .relative(ROOT, path.resolve(path.dirname(file), specifier))
      .split(path.sep)
      .join('/');
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

describe('harness · one-way layers', () => {
  it('finds static, re-export, side-effect and dynamic imports', () => {
    const text = `import a from './a.js';\nimport type { B } from "../b.js";\nexport { c } from './c.js';\nimport './d.js';\nawait import('pg');`;
    expect(importsOf(text).sort()).toEqual(['../b.js', './a.js', './c.js', './d.js', 'pg']);
  });

  it('no import points back against the layers', () => {
    const violations: string[] = [];
    for (const folder of SOURCE_FOLDERS) {
      for (const file of sourceFiles(folder)) {
        const rel = path.relative(ROOT, file).split(path.sep).join('/');
        for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
          const to = target(file, specifier);
          for (const rule of RULES) {
            if (!rel.startsWith(rule.from) || (rule.except && rel.startsWith(rule.except))) continue;
            const hit = rule.mayNotImport.find((p) => (p.endsWith('/') ? to.startsWith(p) : to === p));
            if (hit) violations.push(`${rel} imports ${specifier}: ${rule.why}`);
          }
        }
      }
    }
    expect(violations, violations.join('\n')).toEqual([]);
  });
});
