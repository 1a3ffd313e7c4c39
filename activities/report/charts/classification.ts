import { ACCENT, frame, HEIGHT, REFERENCE, WIDTH, type TopLevelSpec } from './theme';

/** Cells of a confusion matrix bigger than this are too small to label with their count. */
const LABELLED_CLASSES = 12;

/**
 * The confusion matrix as a heatmap: rows the true class, columns the predicted one, each cell
 * coloured by its share of the true class (its row's recall), labelled with its count.
 */
export function confusionMatrixChart(labels: readonly string[], counts: readonly (readonly number[])[]): TopLevelSpec {
  const values = counts.flatMap((row, i) => {
    const total = row.reduce((s, c) => s + c, 0);
    return row.map((count, j) => ({ actual: labels[i], predicted: labels[j], count, share: total === 0 ? 0 : count / total }));
  });
  // Up to LABELLED_CLASSES a chart's width; beyond, small cells across the report's width.
  const side = labels.length <= LABELLED_CLASSES ? Math.min(WIDTH, Math.max(160, labels.length * 48)) : Math.min(880, labels.length * 16);
  const axis = { sort: [...labels], type: 'nominal' as const };
  return {
    ...frame(side, side),
    data: { values },
    encoding: {
      x: { field: 'predicted', ...axis, title: 'predicted', axis: { labelAngle: -45, labelLimit: 90, labelOverlap: 'parity' } },
      y: { field: 'actual', ...axis, title: 'true', axis: { labelLimit: 90, labelOverlap: 'parity' } },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          color: { field: 'share', type: 'quantitative', scale: { domain: [0, 1], range: ['#f6f8fa', '#0b4f94'] }, title: 'share of true class', legend: { format: '.0%' } },
          tooltip: [{ field: 'actual' }, { field: 'predicted' }, { field: 'count' }],
        },
      },
      ...(labels.length <= LABELLED_CLASSES
        ? [
            {
              mark: { type: 'text' as const, fontSize: 11 },
              encoding: {
                text: { field: 'count', type: 'quantitative' as const },
                color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: '#1f2328' },
              },
            },
          ]
        : []),
    ],
  };
}

/** Shared by the two curves: a line through the kept thresholds' points, and a dashed no-skill reference. */
function curveChart(points: { x: number; y: number }[], reference: { x: number; y: number }[], xTitle: string, yTitle: string): TopLevelSpec {
  const scale = { domain: [0, 1], nice: false };
  return {
    ...frame(HEIGHT),
    layer: [
      {
        data: { values: reference },
        mark: { type: 'line', color: REFERENCE, strokeDash: [4, 4], strokeWidth: 1 },
        encoding: { x: { field: 'x', type: 'quantitative', scale, title: xTitle }, y: { field: 'y', type: 'quantitative', scale, title: yTitle } },
      },
      {
        data: { values: points },
        mark: { type: 'line', color: ACCENT, strokeWidth: 2, interpolate: 'linear' },
        encoding: { x: { field: 'x', type: 'quantitative', scale }, y: { field: 'y', type: 'quantitative', scale }, order: { field: 'i', type: 'quantitative' } },
      },
    ],
  };
}

/** The ROC curve: true against false positive rate as the threshold falls, beside chance (the diagonal). */
export function rocChart(roc: { readonly fpr: readonly number[]; readonly tpr: readonly number[] }): TopLevelSpec {
  const points = roc.fpr.map((x, i) => ({ i, x, y: roc.tpr[i] }));
  return curveChart(points, [{ x: 0, y: 0 }, { x: 1, y: 1 }], 'false positive rate', 'true positive rate');
}

/** The precision-recall curve, beside a no-skill classifier's precision (the positive share). */
export function precisionRecallChart(pr: { readonly recall: readonly number[]; readonly precision: readonly number[] }, prevalence: number): TopLevelSpec {
  const points = pr.recall.map((x, i) => ({ i, x, y: pr.precision[i] }));
  return curveChart(points, [{ x: 0, y: prevalence }, { x: 1, y: prevalence }], 'recall', 'precision');
}
