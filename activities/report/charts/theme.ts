import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };

export type { TopLevelSpec };

/** Plot area of a chart, in pixels: two fit side by side in the report's width. */
export const WIDTH = 360;
export const HEIGHT = 260;

/** The report's palette: one accent, a muted reference line, and verdict colours. */
export const ACCENT = '#2f6fb5';
export const REFERENCE = '#8c959f';
export const VERDICT_COLORS = { ok: '#2da44e', warn: '#d4a72c', drift: '#cf222e' } as const;

/** Shared look: the report's font, no chart border, quiet grid lines. */
export const CONFIG = {
  font: 'system-ui, -apple-system, Segoe UI, sans-serif',
  view: { stroke: null },
  axis: { labelColor: '#57606a', titleColor: '#1f2328', gridColor: '#eaeef2', domainColor: '#8c959f', tickColor: '#8c959f', titleFontWeight: 600 },
  legend: { labelColor: '#57606a', titleColor: '#1f2328' },
  background: 'white',
} as const;

/** A number as the report prints it: four significant digits. */
/** What every chart's spec opens with: the Vega-Lite version, the shared look, its size. */
export function frame(height: number, width: number = WIDTH) {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: CONFIG, width, height } as const;
}

export const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toPrecision(4));
