/** The tables and columns CONTRACT.md promises; the specs read and write exactly these. */

export type TypeFamily = 'uuid' | 'text' | 'numeric' | 'integer' | 'timestamptz' | 'jsonb';

export interface RequiredColumn {
  column: string;
  family: TypeFamily;
  notNull: boolean;
}

export interface RequiredTable {
  table: string;
  purpose: string;
  columns: RequiredColumn[];
}

const col = (column: string, family: TypeFamily, notNull = false): RequiredColumn => ({ column, family, notNull });

export const REQUIRED_TABLES: RequiredTable[] = [
  {
    table: 'users',
    purpose: 'accounts: the only table with personal data',
    columns: [
      col('user_id', 'uuid', true),
      col('email', 'text', true),
      col('full_name', 'text', true),
      col('phone', 'text'),
      col('street_address', 'text'),
      col('postal_code', 'text'),
      col('city', 'text'),
      col('country_code', 'text', true),
      col('registered_at', 'timestamptz', true),
      col('signup_channel', 'text', true),
    ],
  },
  {
    table: 'products',
    purpose: 'the catalog: base structure plus custom metadata',
    columns: [
      col('product_id', 'uuid', true),
      col('sku', 'text', true),
      col('name', 'text', true),
      col('price', 'numeric', true),
      col('metadata', 'jsonb', true),
    ],
  },
  {
    table: 'inventory',
    purpose: 'stock per product',
    columns: [col('product_id', 'uuid', true), col('quantity', 'integer', true)],
  },
  {
    table: 'orders',
    purpose: 'the fact table linking a user and a timestamp',
    columns: [col('order_id', 'uuid', true), col('user_id', 'uuid', true), col('order_date', 'timestamptz', true)],
  },
  {
    table: 'order_items',
    purpose: 'the grain of the transaction, with the unit price snapshot',
    columns: [
      col('order_id', 'uuid', true),
      col('product_id', 'uuid', true),
      col('quantity', 'integer', true),
      col('unit_price', 'numeric', true),
    ],
  },
  {
    table: 'audit_logs',
    purpose: 'before/after JSONB of changed rows',
    columns: [
      col('table_name', 'text', true),
      col('operation', 'text', true),
      col('before_state', 'jsonb'),
      col('after_state', 'jsonb'),
      col('changed_at', 'timestamptz', true),
    ],
  },
];

export const REQUIRED_FOREIGN_KEYS = [
  { table: 'orders', columns: ['user_id'], references: 'users', refColumns: ['user_id'] },
  { table: 'order_items', columns: ['order_id'], references: 'orders', refColumns: ['order_id'] },
  { table: 'order_items', columns: ['product_id'], references: 'products', refColumns: ['product_id'] },
  { table: 'inventory', columns: ['product_id'], references: 'products', refColumns: ['product_id'] },
];

/** format_type() spellings accepted for each family. */
export const TYPE_FAMILIES: Record<TypeFamily, { accepts: RegExp; want: string }> = {
  uuid: { accepts: /^uuid$/, want: 'uuid' },
  text: {
    accepts: /^(text|character varying(\(\d+\))?|character(\(\d+\))?|bpchar|citext)$/,
    want: 'text (or varchar / char(n))',
  },
  numeric: { accepts: /^numeric(\(\d+,\d+\))?$/, want: 'numeric (exact decimal; never float or money)' },
  integer: { accepts: /^(smallint|integer|bigint)$/, want: 'integer (or smallint / bigint)' },
  timestamptz: { accepts: /^timestamp(\(\d\))? with time zone$/, want: 'timestamp with time zone (timestamptz)' },
  jsonb: { accepts: /^jsonb$/, want: 'jsonb' },
};
