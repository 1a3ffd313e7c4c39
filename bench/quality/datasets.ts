import { createRng, type Rng } from '../../ml/random';

export type Row = Record<string, string | number | boolean | null>;

export interface QualityDataset {
  readonly name: string;
  readonly task: 'regression' | 'classification';
  readonly target: string;
  readonly train: Row[];
  readonly test: Row[];
  /** What the data is built to show. */
  readonly about: string;
}

const DAY_MS = 86_400_000;
const START = Date.UTC(2022, 0, 1);

function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * Daily sales of 12 stores over three years: a store level, a weekend lift, a yearly season and
 * promotions, with noise. The date is ISO text: the signal is in its weekday and month, which a
 * one-hot of 1,095 dates cannot carry to days it has not seen.
 */
export function datedSales(rows: number, seed: number): Row[] {
  const rng = createRng(seed);
  const stores = Array.from({ length: 12 }, (_, s) => 80 + 10 * s);
  return Array.from({ length: rows }, () => {
    const day = rng.nextInt(3 * 365);
    const when = new Date(START + day * DAY_MS);
    const store = rng.nextInt(stores.length);
    const promo = rng.next() < 0.2;
    const weekday = when.getUTCDay();
    const weekend = weekday === 0 || weekday === 6 ? 40 : 0;
    const season = 25 * Math.sin((2 * Math.PI * when.getUTCMonth()) / 12);
    const sales = stores[store] + weekend + season + (promo ? 30 : 0) + 0.1 * day + 8 * normal(rng);
    return { date: when.toISOString().slice(0, 10), store: `s${store}`, promo, sales: Math.round(sales * 100) / 100 };
  });
}

/** Three classes at 90/8/2 over five numeric features, each class a shifted cloud: accuracy flatters, minority recall does not. */
export function imbalanced(rows: number, seed: number): Row[] {
  const rng = createRng(seed);
  return Array.from({ length: rows }, () => {
    const u = rng.next();
    const label = u < 0.9 ? 'common' : u < 0.98 ? 'rare' : 'very_rare';
    const shift = label === 'common' ? 0 : label === 'rare' ? 1.2 : 2;
    const row: Row = { label };
    for (let j = 0; j < 5; j++) row[`x${j}`] = Math.round((normal(rng) + (j < 3 ? shift : 0)) * 1e4) / 1e4;
    return row;
  });
}

export function qualityDatasets(): QualityDataset[] {
  return [
    { name: 'dated_sales', task: 'regression', target: 'sales', train: datedSales(20_000, 1), test: datedSales(10_000, 2), about: 'date-driven target (weekday, month, trend)' },
    { name: 'imbalanced', task: 'classification', target: 'label', train: imbalanced(20_000, 3), test: imbalanced(10_000, 4), about: '90/8/2 classes' },
  ];
}

/** CSV for scikit-learn: the same rows, in the same order. */
export function toCsv(rows: readonly Row[]): string {
  const columns = Object.keys(rows[0]);
  const cell = (v: Row[string]) => (v === null ? '' : typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
