/**
 * The UTC calendar, exactly: instants are BigInt microseconds since 1970-01-01T00:00:00Z (the
 * resolution of timestamptz), days are 'YYYY-MM-DD' strings. Written from the proleptic
 * Gregorian rules (days-from-civil), independent of the database and of Date's millisecond clock.
 */

export type Instant = bigint;

export const MICROS_PER_DAY = 86_400_000_000n;
const MICROS_PER_SECOND = 1_000_000n;

/** Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp + (mp < 10 ? 3 : -9);
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function daysInMonth(year: number, month: number): number {
  return daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/** 'YYYY-MM-DDTHH:MM:SS[.ffffff]Z' → microseconds. */
export function instant(iso: string): Instant {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z$/.exec(iso);
  if (!m) throw new Error(`not a UTC ISO instant: ${iso}`);
  const [, y, mo, d, h, mi, s, f = ''] = m;
  const days = daysFromCivil(Number(y), Number(mo), Number(d));
  const seconds = BigInt(days) * 86_400n + BigInt(Number(h) * 3600 + Number(mi) * 60 + Number(s));
  return seconds * MICROS_PER_SECOND + BigInt(f.padEnd(6, '0'));
}

/** Microseconds → 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (what the specs send to timestamptz columns). */
export function isoOf(at: Instant): string {
  const days = floorDiv(at, MICROS_PER_DAY);
  const inDay = at - days * MICROS_PER_DAY;
  const { year, month, day } = civilFromDays(Number(days));
  const seconds = Number(inDay / MICROS_PER_SECOND);
  const micros = Number(inDay % MICROS_PER_SECOND);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}.${pad(micros, 6)}Z`;
}

/** The UTC calendar day of an instant. */
export function utcDayOf(at: Instant): string {
  const { year, month, day } = civilFromDays(Number(floorDiv(at, MICROS_PER_DAY)));
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** The first day of the instant's UTC month, as 'YYYY-MM-01'. */
export function utcMonthOf(at: Instant): string {
  return `${utcDayOf(at).slice(0, 7)}-01`;
}

function parseDay(day: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new Error(`not a day: ${day}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** Midnight UTC at the start of a day. */
export function startOfDay(day: string): Instant {
  const { year, month, day: d } = parseDay(day);
  return BigInt(daysFromCivil(year, month, d)) * MICROS_PER_DAY;
}

export function addDays(day: string, n: number): string {
  const { year, month, day: d } = parseDay(day);
  return utcDayOf(BigInt(daysFromCivil(year, month, d) + n) * MICROS_PER_DAY);
}

/** Whole days from `from` to `to` (to − from). */
export function daysBetween(from: string, to: string): number {
  return Number((startOfDay(to) - startOfDay(from)) / MICROS_PER_DAY);
}

/**
 * The same UTC wall-clock time `months` calendar months later; a day that the target month does
 * not have becomes its last day (Jan 31 + 1 month = Feb 28, or Feb 29 in a leap year).
 */
export function addMonths(at: Instant, months: number): Instant {
  const days = floorDiv(at, MICROS_PER_DAY);
  const timeOfDay = at - days * MICROS_PER_DAY;
  const { year, month, day } = civilFromDays(Number(days));
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return BigInt(daysFromCivil(targetYear, targetMonth, targetDay)) * MICROS_PER_DAY + timeOfDay;
}
