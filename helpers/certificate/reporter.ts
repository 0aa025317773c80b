import fs from 'node:fs/promises';
import path from 'node:path';
import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason, TestSuite, Vitest } from 'vitest/node';
import '../vitest/provided.js';
import { verifyRunIntegrity } from '../safety/run-integrity.js';
import { sanitizeText } from '../safety/sanitize.js';
import { markRunFailed } from '../server/exit-hook.js';
import { failureText } from './failure-text.js';
import { type CheckOutcome, certify, type RunCompleteness } from './grade.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderGradescope, renderMarkdown, renderText } from './render.js';

type Node = TestCase | TestSuite | TestModule;

/** Every file a run writes; all are removed when a run starts, so none can outlive the run it describes. */
export const REPORT_FILES = [
  'certification.json',
  'certification.md',
  'certification.html',
  'results.json',
  'junit.xml',
] as const;
/** Where the reports go: ARCANE_REPORTS_DIR (one folder per student when a class is graded), else reports/. */
const REPORTS = path.resolve(process.env.ARCANE_REPORTS_DIR ?? 'reports');

/** The first error of a node or, for a check that never ran, of the hook or module that stopped it. */
function blockingError(node: Node): string | undefined {
  for (let current: Node | undefined = node; current; current = current.type === 'module' ? undefined : current.parent) {
    const errors = current.type === 'test' ? (current.result().errors ?? []) : current.errors();
    if (errors.length > 0) return errors.map((e) => failureText(e)).join('\n');
  }
  return undefined;
}

function collectChecks(modules: ReadonlyArray<TestModule>): { checks: CheckOutcome[]; filteredOut: number } {
  const checks: CheckOutcome[] = [];
  let filteredOut = 0;
  for (const module of modules) {
    for (const test of module.children.allTests()) {
      const { state } = test.result();
      const error = blockingError(test);
      // A check skipped because its file's setup failed did not pass: it counts as failed.
      if (state === 'passed' || state === 'failed' || (state === 'skipped' && error)) {
        checks.push({
          file: module.relativeModuleId,
          name: test.fullName,
          tags: [...test.tags],
          status: state === 'passed' ? 'passed' : 'failed',
          ...(state !== 'passed' && error ? { message: sanitizeText(error) } : {}),
          seconds: (test.diagnostic()?.duration ?? 0) / 1000,
        });
      } else {
        filteredOut++; // the suite skips nothing itself: a skipped check without an error was filtered out
      }
    }
  }
  return { checks, filteredOut };
}

/** Ends every run with the per-criterion certificate, writes it for machines and people, and owns the exit code. */
export default class CertificateReporter implements Reporter {
  private vitest?: Vitest;

  async onInit(vitest: Vitest): Promise<void> {
    this.vitest = vitest;
    await Promise.all(REPORT_FILES.map((f) => fs.rm(path.join(REPORTS, f), { force: true })));
  }

  async onTestRunEnd(
    modules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): Promise<void> {
    const { checks, filteredOut } = collectChecks(modules);
    // The server outside the run's databases must be as the run found it, or nothing certifies.
    const integrity = await verifyRunIntegrity();
    if (integrity.length > 0)
      checks.push({
        file: '(harness)',
        name: 'the run left the server as it found it',
        tags: [],
        status: 'failed',
        message: integrity.join('\n'),
        seconds: 0,
      });
    const run = await this.completeness(modules, filteredOut);
    let runError: string | undefined;
    if (unhandledErrors.length > 0) runError = `errors outside the checks: ${unhandledErrors.map((e) => e.message).join('; ')}`;
    else if (reason === 'interrupted') runError = 'the run was interrupted';
    else if (checks.length === 0) runError = 'no check ran';
    if (runError || reason !== 'passed' || checks.some((c) => c.status === 'failed')) markRunFailed(runError ?? 'a check failed');

    let server = 'server unknown';
    let sqlDir = process.env.SQL_DIR ?? 'sql';
    try {
      const suite = this.vitest?.getRootProject().getProvidedContext().suite;
      if (suite) {
        server = `PostgreSQL ${suite.serverVersion} (${suite.serverKind})`;
        // Inside the project: relative (sql, fixtures/starter); elsewhere: the absolute path.
        const relative = path.relative(process.cwd(), suite.sqlDir);
        sqlDir = relative && !relative.startsWith('..') ? relative : suite.sqlDir;
      }
    } catch {
      // the global setup failed before providing the context; the certificate still prints
    }
    const cert = certify(checks, sqlDir, server, run);
    await fs.mkdir(REPORTS, { recursive: true });
    await fs.writeFile(path.join(REPORTS, 'junit.xml'), renderJunit(checks, runError));
    if (checks.length === 0) {
      // Nothing to grade: say so in every report rather than leave an empty or stale certificate.
      const message = `No certificate: ${runError}. Read the output above for the cause.`;
      await fs.writeFile(
        path.join(REPORTS, 'certification.json'),
        `${JSON.stringify({ ...cert, error: message, checks }, null, 2)}\n`,
      );
      await fs.writeFile(path.join(REPORTS, 'certification.md'), `# Arcane Commerce certification\n\n**${message}**\n`);
      await fs.writeFile(path.join(REPORTS, 'certification.html'), renderHtml(cert, checks, message));
      await fs.writeFile(
        path.join(REPORTS, 'results.json'),
        `${JSON.stringify({ score: 0, output: message, tests: [] }, null, 2)}\n`,
      );
      process.stdout.write(`\n══ Arcane Commerce certification ══  ${message}\n`);
      return;
    }
    await fs.writeFile(path.join(REPORTS, 'certification.json'), `${JSON.stringify({ ...cert, checks }, null, 2)}\n`);
    await fs.writeFile(path.join(REPORTS, 'certification.md'), renderMarkdown(cert));
    await fs.writeFile(path.join(REPORTS, 'certification.html'), renderHtml(cert, checks));
    await fs.writeFile(path.join(REPORTS, 'results.json'), `${JSON.stringify(renderGradescope(cert, checks), null, 2)}\n`);
    process.stdout.write(renderText(cert));
  }

  /** A run certifies only when every spec file of the suite ran and no check was filtered out. */
  private async completeness(modules: ReadonlyArray<TestModule>, checksFilteredOut: number): Promise<RunCompleteness> {
    const ran = new Set(modules.map((m) => m.moduleId));
    const all = this.vitest ? await this.vitest.globTestSpecifications() : [];
    const filesNotRun = [...new Set(all.map((s) => s.moduleId))]
      .filter((id) => !ran.has(id))
      .map((id) => path.relative(process.cwd(), id))
      .sort();
    return { complete: filesNotRun.length === 0 && checksFilteredOut === 0, filesNotRun, checksFilteredOut };
  }
}
