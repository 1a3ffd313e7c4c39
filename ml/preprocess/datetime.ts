import { type Column } from '../data/table';

/** The numbers a datetime column is turned into, in output order. */
export const DATETIME_PARTS = ['year', 'month', 'day', 'weekday', 'hour', 'days'] as const;
export type DatetimePart = (typeof DATETIME_PARTS)[number];

/** How the cells of a datetime column spell their instant. */
export type DatetimeSource = 'iso' | 'epoch_seconds' | 'epoch_milliseconds';

const MS_PER_DAY = 86_400_000;

/**
 * ISO 8601 as data files write it (and as the Parquet and xlsx readers write dates and timestamps):
 * a date, optionally a time with "T" or a space, optionally Z or an offset.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** A parsed datetime: the wall-clock fields as written (the local day and hour) and the instant. */
export interface DatetimeValue {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** 0 = Sunday, as Date.getUTCDay. */
  readonly weekday: number;
  readonly hour: number;
  /** Days since 1970-01-01T00:00Z, with the time of day as a fraction. */
  readonly days: number;
  /** Whether the text had a time of day. */
  readonly hasTime: boolean;
}

function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}

/** The datetime an ISO 8601 text spells, or undefined when it spells none (including 2024-02-30). */
export function parseIsoDatetime(text: string): DatetimeValue | undefined {
  const m = ISO.exec(text.trim());
  if (m === null) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const hasTime = m[4] !== undefined;
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined;
  const midnight = Date.UTC(year, month - 1, day);
  // Date.UTC rolls day 31 of a 30-day month into the next month: such a day does not exist.
  if (new Date(midnight).getUTCDate() !== day) return undefined;
  const wallMs = midnight + ((hour * 60 + minute) * 60 + second + fraction) * 1000;
  const instantMs = wallMs - offsetMinutes(m[8]) * 60_000;
  return { year, month, day, weekday: new Date(midnight).getUTCDay(), hour, days: instantMs / MS_PER_DAY, hasTime };
}

/** The datetime of a Unix epoch number (UTC wall clock), or undefined when out of range. */
export function epochDatetime(value: number, source: 'epoch_seconds' | 'epoch_milliseconds'): DatetimeValue | undefined {
  const ms = source === 'epoch_seconds' ? value * 1000 : value;
  const date = new Date(ms);
  if (!Number.isFinite(value) || Number.isNaN(date.getTime())) return undefined;
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    weekday: date.getUTCDay(),
    hour: date.getUTCHours(),
    days: ms / MS_PER_DAY,
    hasTime: ms % MS_PER_DAY !== 0,
  };
}

/**
 * The unit of epoch numbers, from their size: seconds since 1970 stay below 1e11 until the year
 * 5138, while milliseconds of any date after March 1973 are above it.
 */
export function epochSourceOf(values: ArrayLike<number>): 'epoch_seconds' | 'epoch_milliseconds' {
  let largest = 0;
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i]) > largest) largest = Math.abs(values[i]);
  return largest >= 1e11 ? 'epoch_milliseconds' : 'epoch_seconds';
}

/**
 * Each row's datetime in a column, undefined where it is missing or spells none. ISO text is parsed
 * once per distinct value; a numeric column read as ISO (as a prediction request whose cells are all
 * null arrives) has none.
 */
export function datetimeReader(column: Column, source: DatetimeSource): (row: number) => DatetimeValue | undefined {
  const epoch = (value: number) => (source === 'iso' || Number.isNaN(value) ? undefined : epochDatetime(value, source));
  if (column.type !== 'string') return (row) => epoch(column.values[row]);
  const byCode = column.dictionary.map((text) => (source === 'iso' ? parseIsoDatetime(text) : epoch(text.trim() === '' ? NaN : Number(text))));
  return (row) => {
    const code = column.codes[row];
    return code < 0 ? undefined : byCode[code];
  };
}
