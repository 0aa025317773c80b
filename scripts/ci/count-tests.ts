/**
 * CI's closing line: the checks that CI's test runs executed, read back from their JUnit files, as
 * "N passed, N failed" alone on a line, nothing before it. The machine that reads CI's output knows
 * no vitest summary, so without this line a green run can be taken for one that ran nothing (two
 * landings were, one of them with "tests: N passed, N failed": hence no prefix word now). A missing
 * or empty file, or a run with no test, fails loudly instead of printing a reassuring count.
 */
import fs from 'node:fs';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: tsx scripts/ci/count-tests.ts <junit.xml>…');
  process.exit(2);
}

const count = (xml: string, tag: string) => (xml.match(new RegExp(`<${tag}[\\s>/]`, 'g')) ?? []).length;
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  if (!fs.existsSync(file)) {
    console.error(`count-tests: ${file} is missing: the stage that should have written it did not`);
    process.exit(1);
  }
  const xml = fs.readFileSync(file, 'utf8');
  const cases = count(xml, 'testcase');
  const bad = count(xml, 'failure') + count(xml, 'error');
  const skips = count(xml, 'skipped');
  if (cases === 0) {
    console.error(`count-tests: ${file} records no test case: the run executed nothing`);
    process.exit(1);
  }
  console.log(`count-tests: ${file}: ${cases} test cases (failures ${bad}, skipped ${skips})`);
  failed += bad;
  skipped += skips;
  passed += cases - bad - skips;
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
