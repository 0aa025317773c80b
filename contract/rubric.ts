/**
 * The certification rubric: every criterion of the assignment's "Summary: Assessment & Final
 * Certification", its deliverables checklist, and Tasks 1–7. Each criterion is a vitest tag;
 * every spec declares the tags it proves (`describe('…', { tags: [...] }, …)`), so
 * `npx vitest run --tags-filter=task4` runs one task and the certificate groups results by tag.
 */
export interface Criterion {
  tag: string;
  title: string;
  points: number;
  /** What the seed says, so a grader can read the certificate without the assignment at hand. */
  description: string;
}

export const CRITERIA: Criterion[] = [
  {
    tag: 'normalization-fidelity',
    title: 'Normalization Fidelity',
    points: 10,
    description: 'No PII data duplicated across tables (3NF).',
  },
  {
    tag: 'indexing-precision',
    title: 'Indexing Precision',
    points: 10,
    description: 'Every dashboard query uses an index scan; no Seq Scan on tables over 10,000 rows.',
  },
  {
    tag: 'concurrency-safety',
    title: 'Concurrency Safety',
    points: 10,
    description: 'The checkout procedure is immune to races on the final item.',
  },
  {
    tag: 'hardware-awareness',
    title: 'Hardware Awareness',
    points: 5,
    description: 'JSONB over JSON and UUIDv7 over serial, shown by measurement.',
  },
  {
    tag: 'deliverable-schema',
    title: 'Deliverable: schema',
    points: 5,
    description: 'Complete schema with UUID v7 primary keys and proper foreign keys.',
  },
  {
    tag: 'deliverable-checkout',
    title: 'Deliverable: atomic checkout procedure',
    points: 5,
    description: 'Stored procedure with FOR UPDATE locking and ROLLBACK logic.',
  },
  {
    tag: 'deliverable-growth-report',
    title: 'Deliverable: growth report',
    points: 5,
    description: 'LTV, retention cohorts and moving averages.',
  },
  {
    tag: 'deliverable-explain-log',
    title: 'Deliverable: EXPLAIN log',
    points: 5,
    description: 'EXPLAIN (ANALYZE, BUFFERS) evidence of sub-1ms indexed queries.',
  },
  {
    tag: 'deliverable-materialized-view',
    title: 'Deliverable: materialized view',
    points: 5,
    description: 'Materialized view for heavy aggregate caching, refreshed concurrently.',
  },
  {
    tag: 'task1',
    title: 'Task 1: Hardware-Mirror infrastructure',
    points: 5,
    description: '3NF schema for accounts, catalog and transactions with UUID v7 keys.',
  },
  {
    tag: 'task2',
    title: 'Task 2: Hybrid catalog (JSONB & GIN)',
    points: 5,
    description: 'JSONB metadata, GIN index, @> containment query.',
  },
  {
    tag: 'task3',
    title: 'Task 3: Cohort analysis and LTV',
    points: 5,
    description: 'First touch, running LTV, monthly cohorts at 3/6/12 months, no spill to disk.',
  },
  {
    tag: 'task4',
    title: 'Task 4: Atomic checkout engine',
    points: 5,
    description: 'process_order with FOR UPDATE, stock check, RAISE EXCEPTION rollback, audit log.',
  },
  {
    tag: 'task5',
    title: 'Task 5: Performance stress lab',
    points: 5,
    description: 'Data synthesis with generate_series; indexes fix the Seq Scans.',
  },
  { tag: 'task6', title: 'Task 6: Materialized dashboards', points: 5, description: 'daily_sales_stats refreshed CONCURRENTLY.' },
  {
    tag: 'task7',
    title: 'Task 7: 7-day moving average',
    points: 5,
    description: 'ROWS BETWEEN 6 PRECEDING AND CURRENT ROW over a calendar of days.',
  },
];

export type CriterionTag = (typeof CRITERIA)[number]['tag'];
