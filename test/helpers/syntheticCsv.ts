import { createRng } from '../../ml/random';

/**
 * A deterministic two-class CSV: `features` uniform columns in [-1, 1] and a `label` that is
 * "yes" where `score` of the row plus a little noise is positive. Big enough row counts make
 * training take as long as a test needs.
 */
export function twoClassCsv(rows: number, features: number, seed: number, score: (x: readonly number[]) => number): string {
  const rng = createRng(seed);
  const lines = [[...Array.from({ length: features }, (_, i) => `f${i}`), 'label'].join(',')];
  for (let r = 0; r < rows; r++) {
    const x = Array.from({ length: features }, () => rng.next() * 2 - 1);
    lines.push([...x.map((v) => v.toFixed(5)), score(x) + 0.3 * (rng.next() - 0.5) > 0 ? 'yes' : 'no'].join(','));
  }
  return `${lines.join('\n')}\n`;
}
