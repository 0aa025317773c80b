import fs from 'node:fs/promises';
import path from 'node:path';
import type { Reporter, TestCase, TestModule, TestSuite, Vitest } from 'vitest/node';
import '../vitest/provided.js';
import { type CheckOutcome, certify } from './grade.js';
import { renderGradescope, renderMarkdown, renderText } from './render.js';

type Node = TestCase | TestSuite | TestModule;

/** The first error of a node or, for a check that never ran, of the hook or module that stopped it. */
function blockingError(node: Node): string | undefined {
  for (let current: Node | undefined = node; current; current = current.type === 'module' ? undefined : current.parent) {
    const errors = current.type === 'test' ? (current.result().errors ?? []) : current.errors();
    if (errors.length > 0) return errors.map((e) => e.message).join('\n');
  }
  return undefined;
}

/** Ends every run with the per-criterion certificate and writes it for machines and people. */
export default class CertificateReporter implements Reporter {
  private vitest?: Vitest;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  async onTestRunEnd(modules: ReadonlyArray<TestModule>): Promise<void> {
    const checks: CheckOutcome[] = [];
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const { state } = test.result();
        const error = blockingError(test);
        // A check skipped because its file's setup failed did not pass: it counts as failed.
        if (state === 'passed' || state === 'failed' || (state === 'skipped' && error && test.options.mode === 'run')) {
          checks.push({
            file: module.relativeModuleId,
            name: test.fullName,
            tags: [...test.tags],
            status: state === 'passed' ? 'passed' : 'failed',
            ...(state !== 'passed' && error ? { message: error } : {}),
            seconds: (test.diagnostic()?.duration ?? 0) / 1000,
          });
        }
      }
    }
    if (checks.length === 0) return;
    let server = 'server unknown';
    let sqlDir = process.env.SQL_DIR ?? 'sql';
    try {
      const suite = this.vitest?.getRootProject().getProvidedContext().suite;
      if (suite) {
        server = `PostgreSQL ${suite.serverVersion} (${suite.serverKind})`;
        sqlDir = path.relative(process.cwd(), suite.sqlDir) || suite.sqlDir;
      }
    } catch {
      // the global setup failed before providing the context; the certificate still prints
    }
    const cert = certify(checks, sqlDir, server);
    const out = path.resolve('reports');
    await fs.mkdir(out, { recursive: true });
    await fs.writeFile(path.join(out, 'certification.json'), `${JSON.stringify({ ...cert, checks }, null, 2)}\n`);
    await fs.writeFile(path.join(out, 'certification.md'), renderMarkdown(cert));
    await fs.writeFile(path.join(out, 'results.json'), `${JSON.stringify(renderGradescope(cert, checks), null, 2)}\n`);
    process.stdout.write(renderText(cert));
  }
}
