import { type RandomAccess } from './randomAccess';
import { type RowIndex } from './rowIndex';
import { DELIMITER, FieldReader, INCOMPLETE, RECORD } from './fieldReader';
import { isMissingText } from './infer';

const WINDOW = 1 << 20;

/**
 * Reads cells of earlier records again, for a column that turned to text after it had stored
 * numbers: it finds the record from the nearest indexed start and reads forward, so the usual
 * pass over rows 0, 1, 2, … reads the input once, a window at a time.
 */
export class Rereader {
  private readonly reader: FieldReader;
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;
  private nextRow = -1;
  private nextPosition = 0;

  constructor(
    private readonly access: RandomAccess,
    private readonly index: RowIndex,
    delimiter: number,
    file: string,
  ) {
    this.reader = new FieldReader(delimiter, file);
  }

  /** The text of cell `column` of record `row`, or null when it is missing. */
  cell(row: number, column: number): string | null {
    if (row !== this.nextRow) {
      const from = this.index.before(row);
      this.nextRow = from.row;
      this.nextPosition = from.position;
    }
    while (this.nextRow < row) this.readRecord(-1);
    const text = this.readRecord(column);
    return text === null || isMissingText(text) ? null : text;
  }

  /** Reads the record at nextPosition and moves past it, returning the text of field `column` (null for -1). */
  private readRecord(column: number): string | null {
    let size = WINDOW;
    const offset = this.nextPosition - this.windowStart;
    if (offset < 0 || offset >= this.window.length) this.load(size);
    for (;;) {
      const text = this.parseRecord(column);
      if (text !== INCOMPLETE) return text;
      size = Math.max(size, this.window.length) * 2;
      this.load(size);
    }
  }

  private parseRecord(column: number): string | null | typeof INCOMPLETE {
    const final = this.windowStart + this.window.length >= this.access.size;
    const reader = this.reader;
    reader.reset(this.window, this.window.length, final, this.nextPosition - this.windowStart, 0);
    if (reader.atRecord() !== RECORD) return final ? null : INCOMPLETE;
    let text: string | null = null;
    let field = 0;
    let terminator;
    do {
      terminator = reader.next();
      if (terminator === INCOMPLETE) return INCOMPLETE;
      if (field++ === column) text = reader.text();
    } while (terminator === DELIMITER);
    this.nextPosition = this.windowStart + reader.pos;
    this.nextRow++;
    return text;
  }

  private load(size: number): void {
    this.windowStart = this.nextPosition;
    this.window = this.access.readAt(this.nextPosition, size);
  }
}
