import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LruCache, splitData } from '../../activities/compute/tasks/chartTemplates';
import { renderChartsTask } from '../../activities/compute/tasks/renderCharts';
import { confusionMatrixChart, rocChart } from '../../activities/report/charts/classification';
import { predictedVsActualChart } from '../../activities/report/charts/regression';
import { historyChart, importanceChart } from '../../activities/report/charts/runCharts';
import { type TopLevelSpec } from '../../activities/report/charts/theme';

/** vega numbers gradients and clip paths from a process-wide counter: equal charts differ only there. */
const normalized = (svg: string): string => svg.replace(/(gradient_|clip)\d+/g, '$1#');

async function direct(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

async function rendered(specs: TopLevelSpec[]): Promise<string[]> {
  return (await renderChartsTask({ specs }, { progress: () => undefined, checkpoint: () => undefined })).value.svgs;
}

const sample = (shift: number) => ({ actual: Array.from({ length: 50 }, (_, i) => i + shift * Math.sin(i)), predicted: Array.from({ length: 50 }, (_, i) => i), of: 50 });
const charts = (k: number): TopLevelSpec[] => [
  confusionMatrixChart(['a', 'b', 'c'], [[10 + k, 0, k], [1, 12, 0], [0, 2, 9]]),
  rocChart({ fpr: [0, 0.1 * k, 1], tpr: [0, 0.5 + 0.1 * k, 1] }),
  predictedVsActualChart(sample(k)),
  historyChart({ metric: 'accuracy', runs: [1, 2, 3].map((i) => ({ runId: `r${i}`, startedAt: new Date(Date.UTC(2026, 0, i + k)).toISOString(), value: 0.8 + i / 100 + k / 1000 })) }, 'r3'),
  importanceChart({ scoring: 'accuracy', rows: 40, repeats: 3, features: [{ feature: 'x', mean: 0.2 + k / 100, std: 0.01 }, { feature: 'y', mean: 0.05, std: 0.02 }] } as never),
];

describe('chart templates', () => {
  test('every inline dataset, top level and in layers, becomes a named one; the rest of the spec is kept', () => {
    const spec = { data: { values: [{ a: 1 }] }, layer: [{ data: { values: [{ b: 2 }], format: { type: 'json' } }, mark: 'rule' }, { mark: 'point' }] } as unknown as TopLevelSpec;
    const { template, datasets } = splitData(spec);
    assert.deepEqual(template, { data: { name: 'inline_0' }, layer: [{ data: { format: { type: 'json' }, name: 'inline_1' }, mark: 'rule' }, { mark: 'point' }] });
    assert.deepEqual(datasets, [[{ a: 1 }], [{ b: 2 }]]);
    assert.deepEqual(splitData(charts(1)[0]).template, splitData(charts(2)[0]).template, 'the same chart shape with other data: one template');
  });

  test('a chart rendered from a cached template is the chart compiled on its own, for each shape and each dataset', async () => {
    for (const k of [1, 2, 3]) {
      const specs = charts(k);
      const svgs = await rendered(specs);
      for (const [i, spec] of specs.entries()) assert.equal(normalized(svgs[i]), normalized(await direct(spec)), `chart ${i}, data ${k}`);
    }
    assert.notEqual(normalized((await rendered([charts(1)[0]]))[0]), normalized((await rendered([charts(2)[0]]))[0]), 'other data draws another chart');
  });

  test('the views built ahead between tasks draw what a new view draws, whatever data the shape drew before', async () => {
    // Wide apart on purpose: a view run again on other data would keep the history chart's old grid lines.
    for (const k of [1, 40, 2, 90, 3]) {
      await new Promise((resolve) => setImmediate(resolve));
      const specs = charts(k);
      const svgs = await rendered(specs);
      for (const [i, spec] of specs.entries()) assert.equal(normalized(svgs[i]), normalized(await direct(spec)), `chart ${i}, data ${k}`);
    }
  });

  test('the cache keeps the most recently used entries', () => {
    const cache = new LruCache<number>(2);
    let made = 0;
    const get = (key: string) => cache.get(key, () => ++made);
    assert.equal(get('a'), 1);
    assert.equal(get('b'), 2);
    assert.equal(get('a'), 1, 'a hit');
    assert.equal(get('c'), 3, 'b, the least recently used, goes');
    assert.equal(get('a'), 1);
    assert.equal(get('b'), 4, 'made again');
  });
});
