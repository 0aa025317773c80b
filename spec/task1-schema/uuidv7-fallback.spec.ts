/**
 * Task 1 — the UUID v7 default on servers older than PostgreSQL 18. On 18 the solution's own
 * fallback never runs, so this check applies the solution's folder into a scratch database whose
 * built-in uuidv7() is renamed away (allowed for a superuser, in that database only), as a
 * PostgreSQL 15–17 server would see it; then the keys must still be increasing version 7 UUIDs.
 */
import pg from 'pg';
import { afterAll, describe, inject, it } from 'vitest';
import { insertUsers, sampleUser } from '../../helpers/data/contract-rows.js';
import { createDatabase, databaseUrl, dropDatabase, uniqueDatabaseName } from '../../helpers/db/databases.js';
import { applySqlFolder, formatLoadFailure } from '../../helpers/sql/load.js';
import { uuidFields } from '../../helpers/uuid/layout.js';
import { fail, failHaveWant } from '../../helpers/vitest/have-want.js';
import '../../helpers/vitest/provided.js';

const suite = inject('suite');
const name = uniqueDatabaseName('spec_pre18');
afterAll(() => dropDatabase(suite.adminUrl, name));

describe('Task 1 · UUID v7 keys without a built-in uuidv7() (PostgreSQL 15–17)', {
  tags: ['task1', 'deliverable-schema'],
}, () => {
  // clause: t1.uuidv7-fallback general.pg-versions
  it('the solution applies and its user keys are increasing version-7 UUIDs', async () => {
    await createDatabase(suite.adminUrl, name, 'template0');
    const url = databaseUrl(suite.adminUrl, name);
    if (suite.serverVersionNum >= 180000) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query('SET allow_system_table_mods = on');
        await admin.query(`DO $$ DECLARE f regprocedure; BEGIN
          FOR f IN SELECT p.oid::regprocedure FROM pg_proc p WHERE p.proname = 'uuidv7' AND p.pronamespace = 'pg_catalog'::regnamespace LOOP
            EXECUTE format('ALTER FUNCTION %s RENAME TO uuidv7_hidden_by_spec', f);
          END LOOP; END $$`);
      } finally {
        await admin.end();
      }
    }
    const load = await applySqlFolder(url, suite.sqlDir);
    if (load.failure)
      fail(
        `the SQL does not apply on a server without a built-in uuidv7() (PostgreSQL 15–17):\n${formatLoadFailure(load.failure)}`,
        "define uuidv7() yourself when to_regprocedure('pg_catalog.uuidv7()') IS NULL (see CONTRACT.md, Task 1)",
      );
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const ids = await insertUsers(
        client,
        Array.from({ length: 200 }, () => sampleUser()),
      );
      const bad = ids.find((id) => uuidFields(id).version !== 7 || uuidFields(id).variant !== 'rfc9562');
      if (bad)
        failHaveWant('a users.user_id default on a server without built-in uuidv7()', bad, 'a version 7 UUID (RFC 9562 variant)');
      const unordered = ids.findIndex((id, i) => i > 0 && id <= ids[i - 1]!);
      if (unordered > 0)
        failHaveWant(
          'user keys inserted one after another on one session',
          [ids[unordered - 1], ids[unordered]],
          'strictly increasing',
        );
    } finally {
      await client.end();
    }
  });
});
