import type { CheckOutcome } from './grade.js';

const escapeXml = (text: string) =>
  text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/**
 * JUnit XML for CI dashboards. A run that ended before any check ran is one errored test case,
 * never an empty, green-looking `tests="0" failures="0"` file.
 */
export function renderJunit(checks: CheckOutcome[], runError?: string): string {
  const cases = checks.map((c) => {
    const head = `  <testcase classname="${escapeXml(c.file)}" name="${escapeXml(c.name)}" time="${c.seconds.toFixed(3)}"`;
    if (c.status === 'passed') return `${head}/>`;
    const message = c.message ?? 'failed';
    return `${head}>\n    <failure message="${escapeXml(message.split('\n')[0] ?? '')}">${escapeXml(message)}</failure>\n  </testcase>`;
  });
  let errors = 0;
  if (runError !== undefined || checks.length === 0) {
    errors = 1;
    const message = runError ?? 'no check ran';
    cases.push(
      `  <testcase classname="arcane-certification" name="the certification run" time="0">\n    <error message="${escapeXml(message.split('\n')[0] ?? '')}">${escapeXml(message)}</error>\n  </testcase>`,
    );
  }
  const failures = checks.filter((c) => c.status === 'failed').length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="arcane-certification" tests="${cases.length}" failures="${failures}" errors="${errors}">`,
    `<testsuite name="arcane-certification" tests="${cases.length}" failures="${failures}" errors="${errors}">`,
    ...cases,
    '</testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
