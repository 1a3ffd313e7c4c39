import { type Table } from './table';
import { DataFormatError } from './errors';
import { type ChunkParser, RowEstimate } from './chunks';
import { DEFAULT_INGEST_LIMITS, formatBytes } from './limits';
import { ObjectColumns } from './objectColumns';
import { bomLength, Utf8Stream } from './utf8';

const LF = 0x0a;

/** JSON Lines, chunk by chunk: one object per line, blank lines skipped; errors name the line. */
export class JsonLinesParser implements ChunkParser {
  private readonly columns = new ObjectColumns();
  private readonly utf8: Utf8Stream;
  private readonly estimate = new RowEstimate();
  private readonly maxRecordBytes: number;
  private offset = 0;
  private line = 1;

  constructor(
    private readonly file: string,
    maxRecordBytes?: number,
  ) {
    this.utf8 = new Utf8Stream(file);
    this.maxRecordBytes = maxRecordBytes ?? DEFAULT_INGEST_LIMITS.maxRecordBytes;
  }

  expectBytes(total: number): void {
    this.estimate.totalBytes = total;
  }

  consume(bytes: Buffer, end: number, final: boolean): number {
    if (this.offset === 0 && end < 3 && !final) return 0;
    this.utf8.check(bytes, end, final, this.offset, this.line);
    const view = bytes.subarray(0, end);
    let start = this.offset === 0 ? bomLength(view) : 0;
    for (;;) {
      const newline = view.indexOf(LF, start);
      if (newline < 0 && !final) {
        this.assertLineFits(end - start);
        break;
      }
      const lineEnd = newline < 0 ? end : newline;
      this.assertLineFits(lineEnd - start);
      this.parseLine(view.toString('utf8', start, lineEnd));
      if (newline < 0) {
        start = end;
        break;
      }
      start = newline + 1;
      this.line++;
    }
    this.offset += start;
    this.utf8.shift(start);
    if (!final) this.columns.reserve(this.estimate.rows(this.columns.rows, this.offset));
    return start;
  }

  finish(): Table {
    if (this.columns.rows === 0) throw new DataFormatError('empty file: no JSON records', { file: this.file });
    return this.columns.finish();
  }

  private parseLine(text: string): void {
    const content = text.trim();
    if (content === '') return;
    let record: unknown;
    try {
      record = JSON.parse(content);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      throw new DataFormatError(`invalid JSON: ${error.message}`, { file: this.file, line: this.line }, { cause: error });
    }
    this.columns.add(record, { file: this.file, line: this.line });
  }

  private assertLineFits(length: number): void {
    if (length > this.maxRecordBytes) {
      throw new DataFormatError(`the line is longer than ${formatBytes(this.maxRecordBytes)} (raise limits.maxRecordBytes if it is real)`, { file: this.file, line: this.line });
    }
  }
}
