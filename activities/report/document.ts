/** A report as neutral blocks, rendered to Markdown and to HTML from the same content. */
export type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'table'; readonly header: readonly string[]; readonly rows: readonly (readonly string[])[] };

const mdCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function toMarkdown(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'heading') out.push(`${'#'.repeat(b.level)} ${b.text}`);
    else if (b.kind === 'paragraph') out.push(b.text);
    else if (b.kind === 'list') out.push(b.items.map((i) => `- ${i}`).join('\n'));
    else {
      const row = (cells: readonly string[]): string => `| ${cells.map(mdCell).join(' | ')} |`;
      out.push([row(b.header), row(b.header.map(() => '---')), ...b.rows.map(row)].join('\n'));
    }
  }
  return `${out.join('\n\n')}\n`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

const STYLE = [
  'body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1f2328}',
  'table{border-collapse:collapse;margin:.5rem 0}',
  'th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}',
  'th{background:#f6f8fa}',
].join('');

export function toHtml(title: string, blocks: readonly Block[]): string {
  const body = blocks.map((b) => {
    if (b.kind === 'heading') return `<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`;
    if (b.kind === 'paragraph') return `<p>${escapeHtml(b.text)}</p>`;
    if (b.kind === 'list') return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    const cells = (tag: string, cs: readonly string[]): string => cs.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('');
    return `<table><thead><tr>${cells('th', b.header)}</tr></thead><tbody>${b.rows.map((r) => `<tr>${cells('td', r)}</tr>`).join('')}</tbody></table>`;
  });
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>\n${body.join('\n')}\n</body></html>\n`;
}
