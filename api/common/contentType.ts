const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** Artifacts are served by extension; anything else is opaque bytes. */
export function contentTypeOf(file: string): string {
  return TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream';
}
