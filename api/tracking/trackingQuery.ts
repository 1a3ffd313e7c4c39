import { flatten, InvalidInputError, type FlatValue, type TrackingRecord } from '../../contract';

/** The top-level fields of a tracking record: a sort or filter key is one of them or a path below one. */
const ROOTS = [
  'pipeline',
  'workflowId',
  'runId',
  'modelType',
  'modelName',
  'startedAt',
  'endedAt',
  'durationSeconds',
  'outcome',
  'params',
  'dataset',
  'steps',
  'metrics',
  'decision',
  'model',
  'artifacts',
  'mlflow',
] as const;

export interface SortKey {
  readonly key: string;
  readonly direction: 'asc' | 'desc';
}

const OPERATORS = ['>=', '<=', '!=', '=', '>', '<'] as const;
type Operator = (typeof OPERATORS)[number];

export interface Filter {
  readonly text: string;
  readonly key: string;
  readonly op: Operator;
  readonly value: string;
}

/** A tracking record with its fields by dotted path, flattened once. */
export interface Indexed {
  readonly record: TrackingRecord;
  readonly fields: Readonly<Record<string, FlatValue>>;
}

export const indexed = (record: TrackingRecord): Indexed => ({ record, fields: flatten(record) });

export const DEFAULT_SORT: readonly SortKey[] = [{ key: 'startedAt', direction: 'desc' }];

const bad = (field: 'sort' | 'filter', message: string): InvalidInputError => new InvalidInputError([{ field, message }], 'query');

/** The key names a field a tracking record can have; when runs are given, at least one of them has it. */
function checkKey(field: 'sort' | 'filter', key: string, runs: readonly Indexed[]): void {
  const root = key.split('.')[0];
  if (!(ROOTS as readonly string[]).includes(root)) {
    throw bad(field, `unknown field "${key}": a field is one of ${ROOTS.join(', ')}, or a path below one, e.g. metrics.accuracy or params.model.hyperparameters.nTrees`);
  }
  if (runs.length === 0 || runs.some((r) => key in r.fields)) return;
  const below = [...new Set(runs.flatMap((r) => Object.keys(r.fields)).filter((k) => k.startsWith(`${root}.`)))].sort().slice(0, 12);
  throw bad(field, `no tracked run of this pipeline has the field "${key}"${below.length > 0 ? `; fields under ${root}: ${below.join(', ')}` : ''}`);
}

/** `metrics.r2:desc,startedAt` (asc unless said otherwise); the default is newest first. */
export function parseSort(sort: string | undefined, runs: readonly Indexed[]): SortKey[] {
  if (sort === undefined || sort.trim() === '') return [...DEFAULT_SORT];
  return sort.split(',').map((part) => {
    const m = /^\s*(.+?)(?::(asc|desc))?\s*$/.exec(part);
    if (!m || m[1].includes(':')) throw bad('sort', `"${part}" is not <field>[:asc|:desc]`);
    checkKey('sort', m[1], runs);
    return { key: m[1], direction: (m[2] as 'asc' | 'desc' | undefined) ?? 'asc' };
  });
}

const isNumberText = (s: string): boolean => s.trim() !== '' && Number.isFinite(Number(s));

/** `params.model.hyperparameters.nTrees>=100`, `outcome=deployed`, `startedAt>=2026-01-01`: all must hold. */
export function parseFilters(filters: readonly string[], runs: readonly Indexed[]): Filter[] {
  return filters.map((text) => {
    const m = /^([^<>=!]+)(>=|<=|!=|=|>|<)(.*)$/.exec(text);
    if (!m) throw bad('filter', `"${text}" is not <field><op><value> with op one of ${OPERATORS.join(' ')}`);
    const [, key, op, value] = m as unknown as [string, string, Operator, string];
    checkKey('filter', key.trim(), runs);
    const numeric = runs.map((r) => r.fields[key.trim()]).filter((v) => v !== undefined);
    if (op !== '=' && op !== '!=' && numeric.length > 0 && numeric.every((v) => typeof v === 'number') && !isNumberText(value)) {
      throw bad('filter', `"${text}": ${key.trim()} is a number, "${value}" is not`);
    }
    return { text, key: key.trim(), op, value };
  });
}

const kind = (v: FlatValue): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Orders two present values: numbers by value, text and dates by text, anything else by its JSON. */
function compare(a: FlatValue, b: FlatValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (kind(a) !== kind(b)) return kind(a).localeCompare(kind(b));
  const ta = typeof a === 'string' ? a : JSON.stringify(a);
  const tb = typeof b === 'string' ? b : JSON.stringify(b);
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/** The filter's value read as the field's type: a number for numbers, true/false for booleans, text otherwise. */
function operand(field: FlatValue, value: string): FlatValue {
  if (typeof field === 'number' && isNumberText(value)) return Number(value);
  if (typeof field === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if (field === null && value === 'null') return null;
  if (Array.isArray(field)) {
    try {
      return JSON.parse(value) as FlatValue;
    } catch {
      return value;
    }
  }
  return value;
}

function holds(run: Indexed, f: Filter): boolean {
  const field = run.fields[f.key];
  if (field === undefined) return false;
  const c = compare(field, operand(field, f.value));
  switch (f.op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
  }
}

/** The runs every filter holds for, in sort order; runs without a sort field come last whatever the direction. */
export function select(runs: readonly Indexed[], filters: readonly Filter[], sort: readonly SortKey[]): Indexed[] {
  const kept = runs.filter((r) => filters.every((f) => holds(r, f)));
  const order = (a: Indexed, b: Indexed): number => {
    for (const { key, direction } of [...sort, { key: 'runId', direction: 'asc' as const }]) {
      const va = a.fields[key];
      const vb = b.fields[key];
      if (va === undefined || vb === undefined) {
        if (va !== vb) return va === undefined ? 1 : -1;
        continue;
      }
      const c = compare(va, vb);
      if (c !== 0) return direction === 'asc' ? c : -c;
    }
    return 0;
  };
  return kept.sort(order);
}
