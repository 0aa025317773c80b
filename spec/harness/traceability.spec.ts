/** The traceability machinery itself: clause markers, check annotations, and mutant patches with fuzz. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parsePatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { materialize } from '../../scripts/mutants/catalogue.js';
import { scanSpec } from '../../scripts/mutants/checks.js';
import { parseClauses } from '../../scripts/mutants/clauses.js';

const CONTRACT = `# Contract

Intro sentence. <!-- clause: a.intro -->

## Section <!-- informative -->

- not a rule

## Rules

- First rule, which goes on
  over two lines. <!-- clause: b.first -->
- A sentence nobody classified.

| col | meaning | <!-- clause: c.table -->
| --- | ------- |
| x   | one     |
| y   | two <!-- clause: c.own --> |
`;

describe('harness · traceability', () => {
  it('reads clause ids, table-wide markers and informative sections, and reports unclassified text', () => {
    const { clauses, unclassified } = parseClauses(CONTRACT);
    expect(clauses.map((c) => c.id)).toEqual(['a.intro', 'b.first', 'c.table', 'c.own']);
    expect(clauses.find((c) => c.id === 'b.first')?.text).toContain('over two lines.');
    expect(unclassified).toEqual(['CONTRACT.md:13: - A sentence nobody classified.']);
  });

  it('gives a // clause: comment to the check below it, and the file its tags', () => {
    const spec = scanSpec(
      'x.spec.ts',
      "describe('s', { tags: ['task4', 'deliverable-checkout'] }, () => {\n  // clause: t4.a t4.b\n  it('does a thing', () => {});\n});",
    );
    expect(spec.tags).toEqual(['task4', 'deliverable-checkout']);
    expect(spec.claims).toEqual([{ file: 'x.spec.ts', title: 'does a thing', line: 2, clauses: ['t4.a', 't4.b'] }]);
  });

  it('applies a mutant patch to a reformatted reference, and refuses loudly when its lines are gone', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'arcane-trace-'));
    try {
      const reference = path.join(dir, 'sql');
      await fs.mkdir(reference);
      const patch = parsePatch(
        '--- a/a.sql\n+++ b/a.sql\n@@ -1,4 +1,4 @@\n SELECT 1;\n SELECT 2\n-  FOR UPDATE;\n+  FOR SHARE;\n SELECT 3;\n',
      );
      const mutant = { name: 'm', folder: dir, defect: '', criterion: 'task4', clauses: [], killedBy: [], patch, engine: false };
      // Reindented, with lines added above: the hunk still fits.
      await fs.writeFile(
        path.join(reference, 'a.sql'),
        '-- header\n-- more\nSELECT 1;\nSELECT 2\n      FOR   UPDATE;\nSELECT 3;\n',
      );
      await materialize(mutant, reference, path.join(dir, 'out'));
      expect(await fs.readFile(path.join(dir, 'out', 'a.sql'), 'utf8')).toContain('FOR SHARE;');
      // The line the mutant removes no longer exists: a stale mutant stops the run.
      await fs.writeFile(path.join(reference, 'a.sql'), 'SELECT 1;\nSELECT 2\n  FOR NO KEY UPDATE;\nSELECT 3;\n');
      await expect(materialize(mutant, reference, path.join(dir, 'out'))).rejects.toThrow(/no longer applies/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
