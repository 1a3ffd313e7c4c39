import { ColumnNotFoundError } from './errors';

/** Columns the params name, by the field that names them. */
export interface ColumnRefs {
  readonly target: string;
  readonly features?: readonly string[];
  /** The columns of `preprocessing.roles`. */
  readonly roles?: readonly string[];
  readonly exclude?: readonly string[];
}

/** Most names suggested for one missing column, and most listed when none is close. */
const MOST_SUGGESTED = 3;
const MOST_LISTED = 10;

/** Levenshtein distance: edits (insert, delete, replace) from one text to the other. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The existing names a missing one was probably meant to be: those equal but for case first, else
 * those a few edits away (about one per three characters, ignoring case), closest first.
 */
export function closestNames(name: string, existing: readonly string[]): string[] {
  const lower = name.toLowerCase();
  const sameButCase = existing.filter((e) => e.toLowerCase() === lower);
  if (sameButCase.length > 0) return sameButCase.slice(0, MOST_SUGGESTED);
  const limit = Math.max(1, Math.floor(name.length / 3));
  return existing
    .map((e) => ({ e, d: editDistance(lower, e.toLowerCase()) }))
    .filter(({ d }) => d <= limit)
    .sort((a, b) => a.d - b.d || (a.e < b.e ? -1 : a.e > b.e ? 1 : 0))
    .slice(0, MOST_SUGGESTED)
    .map(({ e }) => e);
}

/** 'no column "species"; did you mean "Species"?', or the columns there are when none is close. */
export function missingColumnMessage(name: string, existing: readonly string[]): string {
  const close = closestNames(name, existing);
  const quoted = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(' or ');
  if (close.length > 0) return `no column ${JSON.stringify(name)}; did you mean ${quoted(close)}?`;
  const listed = existing.slice(0, MOST_LISTED).map((n) => JSON.stringify(n)).join(', ');
  return `no column ${JSON.stringify(name)}; the columns are ${listed}${existing.length > MOST_LISTED ? ` and ${existing.length - MOST_LISTED} more` : ''}`;
}

/**
 * Every column the params name must be in the data: a ColumnNotFoundError names each missing one
 * by its field, with the closest existing names.
 */
export function checkColumns(existing: readonly string[], refs: ColumnRefs): void {
  const present = new Set(existing);
  const named: [string, string][] = [
    ['dataset.target', refs.target],
    ...(refs.features ?? []).map((c): [string, string] => ['dataset.features', c]),
    ...(refs.roles ?? []).map((c): [string, string] => [`preprocessing.roles`, c]),
    ...(refs.exclude ?? []).map((c): [string, string] => ['preprocessing.exclude', c]),
  ];
  const missing = named.filter(([, column]) => !present.has(column));
  if (missing.length === 0) return;
  const message = missing.map(([field, column]) => `${field}: ${missingColumnMessage(column, existing)}`).join('; ');
  throw new ColumnNotFoundError(message, missing[0][1]);
}
