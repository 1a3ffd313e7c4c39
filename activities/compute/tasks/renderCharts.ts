import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import type { Runtime } from 'vega' with { 'resolution-mode': 'import' };
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

/** Parsed chart templates this thread keeps (threads are reused, so later reports find them). */
const TEMPLATES = 64;
const templates = new LruCache<Runtime>(TEMPLATES);

/**
 * Renders Vega-Lite specs to static SVG with vega's headless view (no canvas, no DOM): layout and
 * scenegraph building is CPU work that grows with the data, so it runs in a compute thread.
 * Each spec is compiled and parsed once per shape (its data taken out), then given its data.
 * vega and vega-lite ship as ES modules only, hence the dynamic imports from this CommonJS build.
 */
export const renderChartsTask: ComputeTask<RenderChartsTaskInput, RenderChartsTaskOutput> = async (input, { progress }) => {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const svgs: string[] = [];
  for (const [i, spec] of input.specs.entries()) {
    progress({ fraction: i / input.specs.length, message: `rendering chart ${i + 1} of ${input.specs.length}` });
    const { template, datasets } = splitData(spec);
    const runtime = templates.get(JSON.stringify(template), () => vega.parse(vegaLite.compile(template).spec));
    const view = new vega.View(runtime, { renderer: 'none' });
    datasets.forEach((values, d) => view.data(inlineName(d), values as object[]));
    svgs.push(await view.toSVG());
    view.finalize();
  }
  return { value: { svgs } };
};
