/**
 * Harness — the before/after comparison of a server (helpers/safety/server-integrity.ts) names
 * what changed outside a run: a new role, an ALTER SYSTEM setting, a role default, a database
 * setting, an object added to template1. Both the harness's own check and the hostile corpus rely
 * on it, so it is shown to see each change, and to see nothing once the change is undone. Only on
 * a server of this run's own (embedded or Docker): on a shared DATABASE_URL server the probe would
 * be another run's "change during the run".
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { withAdminClient } from '../../helpers/db/run-roles.js';
import { compareSnapshots, snapshotServer } from '../../helpers/safety/server-integrity.js';
import '../../helpers/vitest/provided.js';

const suite = inject('suite');
const PROBE = 'harness_integrity_probe';

async function undo(): Promise<void> {
  await withAdminClient(suite.adminUrl, async (admin) => {
    await admin.query('ALTER SYSTEM RESET work_mem');
    await admin.query(`DROP ROLE IF EXISTS ${PROBE}`);
  });
  await withAdminClient(suite.adminUrl, (admin) => admin.query(`DROP FUNCTION IF EXISTS public.${PROBE}()`), 'template1');
}

afterAll(undo);

describe.skipIf(suite.serverKind === 'external')('harness · server integrity comparison', () => {
  it('names a new role, an ALTER SYSTEM setting, a role default and an object in template1; nothing once undone', async () => {
    const before = await snapshotServer(suite.adminUrl);
    await withAdminClient(suite.adminUrl, async (admin) => {
      await admin.query(`CREATE ROLE ${PROBE} NOLOGIN`);
      await admin.query(`ALTER ROLE ${PROBE} SET search_path = public, pg_catalog`);
      await admin.query(`ALTER SYSTEM SET work_mem = '7MB'`);
    });
    await withAdminClient(
      suite.adminUrl,
      (admin) => admin.query(`CREATE FUNCTION public.${PROBE}() RETURNS int LANGUAGE sql AS 'SELECT 1'`),
      'template1',
    );
    const changes = compareSnapshots(before, await snapshotServer(suite.adminUrl));
    const text = changes.join('\n');
    expect(text).toMatch(new RegExp(`^roles: added or changed: ${PROBE} `, 'm'));
    expect(text).toMatch(new RegExp(`^role and database defaults: added or changed: ${PROBE}@ALL: search_path=`, 'm'));
    expect(text).toMatch(/^ALTER SYSTEM settings: added or changed: work_mem = 7MB$/m);
    expect(text).toMatch(/^template1: /m);
    await undo();
    // Other spec files run beside this one and create databases and roles of their own: only what
    // this check changed must be gone (seen once: a race spec's database failed a correct solution).
    const ours = (line: string) =>
      line.includes(PROBE) || line.startsWith('ALTER SYSTEM settings:') || line.startsWith('template1:');
    expect(compareSnapshots(before, await snapshotServer(suite.adminUrl)).filter(ours)).toEqual([]);
  });
});
