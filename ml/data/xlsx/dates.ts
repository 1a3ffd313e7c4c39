const MS_PER_DAY = 86_400_000;
/** Day 0 of the 1900 system is 1899-12-31, but Excel counts a 29 Feb 1900 that never was: from day 60 on, day 0 is 1899-12-30. */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1900_EARLY = Date.UTC(1899, 11, 31);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/**
 * The ISO 8601 text of an Excel serial date: "2024-01-06" for whole days, with the time of day
 * (to the millisecond, UTC: spreadsheets have no time zone) otherwise.
 */
export function excelDate(serial: number, date1904: boolean): string {
  const epoch = date1904 ? EPOCH_1904 : serial < 60 ? EPOCH_1900_EARLY : EPOCH_1900;
  const ms = epoch + Math.round(serial * MS_PER_DAY);
  const iso = new Date(ms).toISOString();
  return ms % MS_PER_DAY === 0 ? iso.slice(0, 10) : iso;
}
