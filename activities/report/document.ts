import { type TopLevelSpec } from './charts/theme';

/** A table's cells: the Markdown report shows a chart's data this way. */
export interface TableData {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * A chart: its Vega-Lite spec, and once rendered its SVG (HTML only). The Markdown report shows
 * its `table` instead, when it has one.
 */
export interface ChartBlock {
  readonly kind: 'chart';
  readonly title: string;
  readonly caption?: string;
  readonly spec: TopLevelSpec;
  readonly svg?: string;
  readonly table?: TableData;
}

/** A report as neutral blocks, rendered to Markdown and to HTML from the same content. */
export type Block =
  | ChartBlock
  | { readonly kind: 'heading'; readonly level: 1 | 2; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'table'; readonly header: readonly string[]; readonly rows: readonly (readonly string[])[] };

const mdCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function mdTable(t: TableData): string {
  const row = (cells: readonly string[]): string => `| ${cells.map(mdCell).join(' | ')} |`;
  return [row(t.header), row(t.header.map(() => '---')), ...t.rows.map(row)].join('\n');
}

export function toMarkdown(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'heading') out.push(`${'#'.repeat(b.level)} ${b.text}`);
    else if (b.kind === 'paragraph') out.push(b.text);
    else if (b.kind === 'list') out.push(b.items.map((i) => `- ${i}`).join('\n'));
    else if (b.kind === 'chart') out.push([`**${b.title}**${b.caption ? `: ${b.caption}` : ''}`, b.table ? mdTable(b.table) : '(a chart in the HTML report)'].join('\n\n'));
    else out.push(mdTable(b));
  }
  return `${out.join('\n\n')}\n`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

const STYLE = [
  'body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1000px;margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.45}',
  'h1{font-size:1.6rem;border-bottom:1px solid #d0d7de;padding-bottom:.4rem}',
  'h2{font-size:1.2rem;margin-top:2rem}',
  'table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}',
  'th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}',
  'th{background:#f6f8fa}',
  '.charts{display:flex;flex-wrap:wrap;gap:1rem}',
  'figure{margin:0;padding:.75rem;border:1px solid #d0d7de;border-radius:6px;background:#fff;max-width:100%}',
  'figcaption{font-weight:600;margin-bottom:.25rem}',
  'figure p{margin:.25rem 0 0;color:#57606a;font-size:.85rem;max-width:440px}',
  'figure svg{display:block;max-width:100%;height:auto}',
].join('');

const cells = (tag: string, cs: readonly string[]): string => cs.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('');
const htmlTable = (t: TableData): string => `<table><thead><tr>${cells('th', t.header)}</tr></thead><tbody>${t.rows.map((r) => `<tr>${cells('td', r)}</tr>`).join('')}</tbody></table>`;

/** A chart's SVG is vega's own output (it escapes the data's text); a chart not rendered shows its table. */
function figure(b: ChartBlock): string {
  const caption = b.caption ? `<p>${escapeHtml(b.caption)}</p>` : '';
  const body = b.svg ?? (b.table ? htmlTable(b.table) : '');
  return `<figure class="chart"><figcaption>${escapeHtml(b.title)}</figcaption>${body}${caption}</figure>`;
}

export function toHtml(title: string, blocks: readonly Block[]): string {
  const body: string[] = [];
  let charts: string[] = [];
  const flush = () => {
    if (charts.length > 0) body.push(`<div class="charts">${charts.join('')}</div>`);
    charts = [];
  };
  for (const b of blocks) {
    if (b.kind === 'chart') {
      charts.push(figure(b));
      continue;
    }
    flush();
    if (b.kind === 'heading') body.push(`<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`);
    else if (b.kind === 'paragraph') body.push(`<p>${escapeHtml(b.text)}</p>`);
    else if (b.kind === 'list') body.push(`<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`);
    else body.push(htmlTable(b));
  }
  flush();
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>\n${body.join('\n')}\n</body></html>\n`;
}
