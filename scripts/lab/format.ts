/** How the lab prints numbers: thousands separators, milliseconds, MiB. */
export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 3 : 1) : 'n/a');
export const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
