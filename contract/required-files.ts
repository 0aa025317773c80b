/**
 * The query files CONTRACT.md requires besides the applied *.sql files, relative to the solution's
 * folder. The specs fail a criterion when one is missing, and the starter skeleton ships each one.
 */
export const DASHBOARD_QUERY_FILES = [
  'yesterday_stats',
  'top_products',
  'revenue_curve_7d',
  'cohort_summary',
  'organic_cotton_shirts',
  'user_order_history',
  'product_sales',
] as const;

export const REQUIRED_QUERY_FILES = [
  ...DASHBOARD_QUERY_FILES.map((name) => `queries/dashboard/${name}.sql`),
  'queries/growth_report.sql',
  'queries/lab/complex_join.sql',
];
