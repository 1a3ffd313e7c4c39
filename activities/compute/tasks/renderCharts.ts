import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import { type ComputeTask } from '../protocol';

export interface RenderChartsTaskInput {
  /** Vega-Lite specs with their data inline. */
  readonly specs: readonly TopLevelSpec[];
}

export interface RenderChartsTaskOutput {
  /** One standalone SVG document per spec, in order. */
  readonly svgs: string[];
}

/**
 * Renders Vega-Lite specs to static SVG with vega's headless view (no canvas, no DOM): layout and
 * scenegraph building is CPU work that grows with the data, so it runs in a compute thread.
 * vega and vega-lite ship as ES modules only, hence the dynamic imports from this CommonJS build.
 */
export const renderChartsTask: ComputeTask<RenderChartsTaskInput, RenderChartsTaskOutput> = async (input, { progress }) => {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const svgs: string[] = [];
  for (const [i, spec] of input.specs.entries()) {
    progress({ fraction: i / input.specs.length, message: `rendering chart ${i + 1} of ${input.specs.length}` });
    const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
    svgs.push(await view.toSVG());
    view.finalize();
  }
  return { value: { svgs } };
};
