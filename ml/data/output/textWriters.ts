import { openSync, writeSync, closeSync } from 'node:fs';
import { type ChunkWriter, type OutputColumn, outputCell } from './columns';

/** A CSV field: quoted when it holds a delimiter, quote or line break (RFC 4180). */
function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Appends to a file with synchronous writes: the writer runs in a compute thread, whose event loop serves nobody else. */
class FileAppender {
  private readonly fd: number;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  append(text: string): void {
    writeSync(this.fd, text);
  }
  close(): void {
    closeSync(this.fd);
  }
}

export function csvWriter(path: string): ChunkWriter {
  const file = new FileAppender(path);
  let header = false;
  return {
    write(columns: readonly OutputColumn[], rows: number) {
      const lines: string[] = [];
      if (!header) lines.push(columns.map((c) => csvField(c.name)).join(','));
      header = true;
      for (let row = 0; row < rows; row++) lines.push(columns.map((c) => csvField(outputCell(c, row))).join(','));
      file.append(`${lines.join('\n')}\n`);
      return Promise.resolve();
    },
    close() {
      file.close();
      return Promise.resolve();
    },
  };
}

export function jsonLinesWriter(path: string): ChunkWriter {
  const file = new FileAppender(path);
  return {
    write(columns: readonly OutputColumn[], rows: number) {
      const lines: string[] = [];
      for (let row = 0; row < rows; row++) lines.push(JSON.stringify(Object.fromEntries(columns.map((c) => [c.name, outputCell(c, row)]))));
      file.append(`${lines.join('\n')}\n`);
      return Promise.resolve();
    },
    close() {
      file.close();
      return Promise.resolve();
    },
  };
}
