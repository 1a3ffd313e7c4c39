import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import type { Runtime, View } from 'vega' with { 'resolution-mode': 'import' };
import { type ComputeTask } from '../protocol';
import { inlineName, LruCache, splitData } from './chartTemplates';

export interface RenderChartsTaskInput {
  /** Vega-Lite specs with their data inline. */
  readonly specs: readonly TopLevelSpec[];
}

export interface RenderChartsTaskOutput {
  /** One standalone SVG document per spec, in order. */
  readonly svgs: string[];
}

/** A parsed chart shape, with a view of it built ahead and never run, for its next chart. */
interface Template {
  readonly runtime: Runtime;
  spare?: View;
}

/** Parsed chart templates this thread keeps (threads are reused, so later reports find them). */
const TEMPLATES = 64;
const templates = new LruCache<Template>(TEMPLATES);

type ViewClass = new (runtime: Runtime, options: { renderer: 'none' }) => View;

const newView = (vega: { View: ViewClass }, template: Template): View => new vega.View(template.runtime, { renderer: 'none' });

/**
 * Renders Vega-Lite specs to static SVG with vega's headless view (no canvas, no DOM): layout and
 * scenegraph building is CPU work that grows with the data, so it runs in a compute thread.
 * Each spec is compiled and parsed once per shape (its data taken out), then given its data.
 * Every chart gets a view never run before (a view run on other data can keep stale axis grid
 * positions); building one takes about a third of a small chart's time, so the next chart's view of
 * each shape used is built once this task has answered, while the thread would otherwise wait.
 * vega and vega-lite ship as ES modules only, hence the dynamic imports from this CommonJS build.
 */
export const renderChartsTask: ComputeTask<RenderChartsTaskInput, RenderChartsTaskOutput> = async (input, { progress }) => {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const svgs: string[] = [];
  const used = new Set<Template>();
  for (const [i, spec] of input.specs.entries()) {
    progress({ fraction: i / input.specs.length, message: `rendering chart ${i + 1} of ${input.specs.length}` });
    const { template, datasets } = splitData(spec);
    const shape = templates.get(JSON.stringify(template), () => ({ runtime: vega.parse(vegaLite.compile(template).spec) }));
    const view = shape.spare ?? newView(vega, shape);
    shape.spare = undefined;
    used.add(shape);
    datasets.forEach((values, d) => view.data(inlineName(d), values as object[]));
    svgs.push(await view.toSVG());
    view.finalize();
  }
  // After the answer is posted (a microtask): the next report's views are ready before it comes.
  setImmediate(() => {
    for (const shape of used) shape.spare ??= newView(vega, shape);
  });
  return { value: { svgs } };
};
