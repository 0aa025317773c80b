/**
 * The isolation-style runner decides the concurrency verdicts: what blocked on whom. It is run
 * here on a scratch table of its own (not the solution's), where the right transcript is known.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, databaseUrl, dropDatabase, uniqueDatabaseName } from '../../helpers/db/databases.js';
import { runPermutation, type Step } from '../../helpers/race/isolation-steps.js';
import '../../helpers/vitest/provided.js';

const suite = inject('suite');
const name = uniqueDatabaseName('harness_race');
const url = databaseUrl(suite.adminUrl, name);
let observer: pg.Pool;
const source = {
  async connect() {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return client;
  },
};

beforeAll(async () => {
  await createDatabase(suite.adminUrl, name, 'template0');
  observer = new pg.Pool({ connectionString: url, max: 2 });
  await observer.query('CREATE TABLE stock (id int PRIMARY KEY, qty int NOT NULL)');
});

afterAll(async () => {
  await observer?.end();
  await dropDatabase(suite.adminUrl, name);
});

const reset = () => observer.query('TRUNCATE stock; INSERT INTO stock VALUES (1, 1), (2, 1)');
const step = (session: string, label: string, sql: string): Step => ({ session, label, sql });
const take = (session: string, id: number) =>
  step(session, `take ${id}`, `UPDATE stock SET qty = qty - 1 WHERE id = ${id} AND qty > 0 RETURNING qty`);
/** A takes row `a` in an open transaction, then B begins and takes row `b`. */
const bothTake = (a: number, b: number) => [step('A', 'begin', 'BEGIN'), take('A', a), step('B', 'begin', 'BEGIN'), take('B', b)];

describe('harness · isolation-style permutation runner', () => {
  it('reports a step blocked on a row lock, whom it waits for, and its completion after the commit', async () => {
    await reset();
    const result = await runPermutation(
      source,
      observer,
      ['A', 'B'],
      [...bothTake(1, 1), step('A', 'commit', 'COMMIT'), step('B', 'commit', 'COMMIT')],
    );
    expect(result.transcript).toEqual([
      'A: begin → ok',
      'A: take 1 → ok',
      'B: begin → ok',
      'B: take 1 → waiting for A',
      'A: commit → ok',
      'B: take 1 → ok',
      'B: commit → ok',
    ]);
    expect(result.waits).toHaveLength(1);
    expect(result.waits[0]!.waitEventType).toBe('Lock');
    expect(result.rows['B: take 1']).toEqual([]); // READ COMMITTED re-read: the winner took the last one
  });

  it('different rows never wait; errors are reported with their SQLSTATE', async () => {
    await reset();
    const result = await runPermutation(
      source,
      observer,
      ['A', 'B'],
      [...bothTake(1, 2), step('B', 'fail', "SELECT 'x'::int"), step('A', 'commit', 'COMMIT'), step('B', 'rollback', 'ROLLBACK')],
    );
    expect(result.waits).toEqual([]);
    expect(result.errors['B: fail']?.code).toBe('22P02');
  });

  it('a step still waiting when the permutation ends is reported and cancelled, not left hanging', async () => {
    await reset();
    const result = await runPermutation(source, observer, ['A', 'B'], [step('A', 'begin', 'BEGIN'), take('A', 1), take('B', 1)]);
    expect(result.transcript.at(-1)).toBe('B: take 1 → still waiting at the end');
  });
});
