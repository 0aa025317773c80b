/**
 * npx tsx scripts/selftest/synthesis-identity.ts <before-sql-dir> <after-sql-dir>
 * Proves a refactoring of the reference synthesis changed nothing it produces: applies each folder
 * with psql (file by file, ON_ERROR_STOP, as a student would) into a database of its own on one
 * embedded server, runs synthesize_commerce with the same arguments in both, and compares a
 * checksum of every table's rows ordered by key, the rebuilt indexes, keys and triggers, and the
 * progress NOTICEs' phases and keys (timings left out). Exits 1 on any difference.
 */
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { embeddedServer } from '../../helpers/server/embedded.js';
import { sqlFilesIn } from '../../helpers/sql/load.js';
import { cliCommand } from '../cli.js';

const CALLS = [
  `CALL synthesize_commerce(20000, 0.42, DATE '2026-11-23')`,
  `CALL synthesize_commerce(3000, -0.7, DATE '2025-12-05', p_days => 400, p_products => 321, p_truncate => true)`,
  `CALL synthesize_commerce(3000, 0.1, DATE '2026-02-10', p_truncate => true, p_keep_indexes => true)`,
];

const TABLES: Record<string, string> = {
  users: 'user_id',
  products: 'product_id',
  inventory: 'product_id',
  orders: 'order_id',
  order_items: 'order_item_id',
  audit_logs: 'audit_log_id',
};

const SCHEMA = `
  SELECT string_agg(d, E'\\n' ORDER BY d) FROM (
    SELECT pg_get_indexdef(indexrelid) || coalesce(' -- ' || obj_description(indexrelid, 'pg_class'), '') AS d
      FROM pg_index WHERE indrelid::regclass::text IN ('users', 'products', 'inventory', 'orders', 'order_items', 'audit_logs')
    UNION ALL
    SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated
           || coalesce(' -- ' || obj_description(oid, 'pg_constraint'), '')
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT tgrelid::regclass || ' ' || tgname || ' ' || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal) AS s`;

async function fingerprint(url: string, sqlDir: string, call: string, first: boolean): Promise<string[]> {
  if (first)
    for (const file of await sqlFilesIn(sqlDir))
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', file]);
  const client = new pg.Client({ connectionString: url });
  const notices: string[] = [];
  client.on('notice', (n) => {
    const parsed = JSON.parse(n.message ?? '{}') as Record<string, unknown>;
    const kept = Object.entries(parsed).map(([k, v]) => (k === 'ms' || k === 'elapsed_ms' ? k : `${k}=${String(v)}`));
    notices.push(kept.join(','));
  });
  await client.connect();
  try {
    await client.query(call);
    const said = (await client.query('SELECT md5($1) AS m', [notices.join('\n')])).rows[0].m;
    const lines = [`${notices.length} progress notices (phases, counts, keys), md5 ${said}`];
    for (const [table, key] of Object.entries(TABLES)) {
      const { rows } = await client.query(
        `SELECT count(*) AS n, md5(string_agg(t::text, E'\\n' ORDER BY t.${key})) AS sum FROM ${table} AS t`,
      );
      lines.push(`${table}: ${rows[0].n} rows, md5 ${rows[0].sum}`);
    }
    const schema = await client.query(SCHEMA);
    lines.push(`schema md5 ${(await client.query('SELECT md5($1) AS m', [schema.rows[0].string_agg])).rows[0].m}`);
    const state = await client.query('SELECT valid FROM dashboard.rollup_state');
    lines.push(`rollup_state.valid ${state.rows[0]?.valid}`);
    return lines;
  } finally {
    await client.end();
  }
}

const [beforeDir, afterDir] = cliCommand(
  'selftest:synthesis-identity',
  'Proves a refactoring of the reference synthesis changed nothing it produces (rows, indexes, keys, NOTICEs).',
)
  .name('npx tsx scripts/selftest/synthesis-identity.ts')
  .argument('<before-sql-dir>', 'the SQL folder before the change')
  .argument('<after-sql-dir>', 'the SQL folder after it')
  .parse().args as [string, string];
const server = await embeddedServer({ durability: 'fast' });
let differences = 0;
try {
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  const urls: string[] = [];
  for (const name of ['synthesis_before', 'synthesis_after']) {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(server.adminUrl);
    url.pathname = `/${name}`;
    urls.push(url.toString());
  }
  await admin.end();
  for (const [i, call] of CALLS.entries()) {
    const before = await fingerprint(urls[0]!, beforeDir, call, i === 0);
    const after = await fingerprint(urls[1]!, afterDir, call, i === 0);
    console.log(`\n${call}`);
    for (const [j, line] of before.entries()) {
      const same = line === after[j];
      if (!same) differences++;
      console.log(`  ${same ? '=' : '≠'} ${line}${same ? '' : `\n    after: ${after[j]}`}`);
    }
  }
} finally {
  await server.stop();
}
console.log(differences === 0 ? '\nidentical' : `\n${differences} differences`);
process.exitCode = differences === 0 ? 0 : 1;
