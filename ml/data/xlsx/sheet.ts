import { type Readable } from 'node:stream';
import { type Table } from '../table';
import { DataFormatError } from '../errors';
import { ColumnBuilder, isMissingText } from '../infer';
import { localName, readXml } from './xml';
import { excelDate } from './dates';

export interface SheetContext {
  readonly file: string;
  readonly sheet: string;
  readonly part: string;
  readonly sharedStrings: readonly string[];
  readonly dateStyles: readonly boolean[];
  readonly date1904: boolean;
}

const EMPTY = 0;
const NUMBER = 1;
const TEXT = 2;
const BOOLEAN = 3;

/** 0-based column of a cell reference: "C7" → 2, "AA1" → 26; -1 when it has none. */
export function columnOfRef(ref: string | undefined): number {
  if (ref === undefined) return -1;
  let column = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20;
    if (c < 0x61 || c > 0x7a) break;
    column = column * 26 + (c - 0x60);
  }
  return i === 0 ? -1 : column - 1;
}

/**
 * One worksheet streamed into typed columns. The first row with a value is the header (names must
 * be present and distinct, as in CSV); rows without any value are skipped. Cells keep their
 * spreadsheet type: numbers, booleans and text (missing-value tokens like "NA" count as missing,
 * as in CSV); a number in a date or time format becomes ISO 8601 text; error cells (#N/A, #DIV/0!)
 * are missing. A row's cells are collected in arrays the width of the header and pushed when the
 * row ends, so no per-row objects are made.
 */
export class SheetReader {
  private builders: ColumnBuilder[] | undefined;
  private rows = 0;
  private rowNumber = 0;
  private kinds = new Uint8Array(0);
  private numbers = new Float64Array(0);
  private texts: string[] = [];
  private header: (string | undefined)[] = [];
  private cell: { column: number; type: string; style: number } | undefined;
  private nextColumn = 0;
  private value = '';
  private inValue = false;

  constructor(private readonly context: SheetContext) {}

  async read(stream: Readable): Promise<Table> {
    const { file, part } = this.context;
    await readXml(stream, file, part, {
      open: (tag) => {
        const name = localName(tag.name);
        if (name === 'row') this.startRow(tag.attributes.r);
        else if (name === 'c') this.startCell(tag.attributes);
        else if (this.cell !== undefined && (name === 'v' || name === 't')) {
          this.inValue = !tag.isSelfClosing;
        }
      },
      text: (text) => {
        if (this.inValue) this.value += text;
      },
      close: (tag) => {
        const name = localName(tag);
        if (name === 'v' || name === 't') this.inValue = false;
        else if (name === 'c') this.endCell();
        else if (name === 'row') this.endRow();
      },
    });
    if (this.builders === undefined) throw new DataFormatError('the sheet is empty: a header row is required', { file, sheet: this.context.sheet });
    return { rowCount: this.rows, columns: this.builders.map((b) => b.finish()) };
  }

  private startRow(ref: string | undefined): void {
    this.rowNumber = ref === undefined ? this.rowNumber + 1 : Number(ref);
    this.nextColumn = 0;
    this.kinds.fill(EMPTY);
    if (this.builders === undefined) this.header = [];
  }

  private startCell(attributes: Record<string, string>): void {
    const ref = columnOfRef(attributes.r);
    const column = ref < 0 ? this.nextColumn : ref;
    this.nextColumn = column + 1;
    this.cell = { column, type: attributes.t ?? 'n', style: Number(attributes.s ?? 0) };
    this.value = '';
  }

  private endCell(): void {
    const cell = this.cell;
    this.cell = undefined;
    if (cell === undefined) return;
    if (this.builders === undefined) {
      const text = this.cellText(cell.type, this.value);
      if (text !== undefined && text !== '') this.header[cell.column] = text;
      return;
    }
    this.setCell(cell.column, cell.type, cell.style, this.value);
  }

  /** The text a header cell shows (numbers as written). */
  private cellText(type: string, value: string): string | undefined {
    if (type === 's') return this.context.sharedStrings[Number(value)];
    if (type === 'b') return value === '1' ? 'TRUE' : 'FALSE';
    if (type === 'e') return undefined;
    return value;
  }

  private setCell(column: number, type: string, style: number, value: string): void {
    if (column >= this.kinds.length) {
      if (value === '' || type === 'e') return;
      throw this.error(`a value in column ${column + 1} is outside the ${this.kinds.length} named in the header`);
    }
    if (type === 'e' || (value === '' && type !== 'inlineStr' && type !== 'str')) return;
    if (type === 'b') {
      this.kinds[column] = BOOLEAN;
      this.numbers[column] = value === '1' || value === 'true' ? 1 : 0;
    } else if (type === 's' || type === 'inlineStr' || type === 'str' || type === 'd') {
      const text = type === 's' ? this.context.sharedStrings[Number(value)] : value;
      if (text === undefined) throw this.error(`shared string ${value} does not exist`, column);
      if (isMissingText(text)) return;
      this.kinds[column] = TEXT;
      this.texts[column] = text;
    } else {
      const number = Number(value);
      if (!Number.isFinite(number)) throw this.error(`${JSON.stringify(value)} is not a finite number`, column);
      if (this.context.dateStyles[style] === true) {
        this.kinds[column] = TEXT;
        this.texts[column] = excelDate(number, this.context.date1904);
      } else {
        this.kinds[column] = NUMBER;
        this.numbers[column] = number;
      }
    }
  }

  private endRow(): void {
    if (this.builders === undefined) {
      if (this.header.length > 0) this.startColumns();
      return;
    }
    if (!this.kinds.some((k) => k !== EMPTY)) return;
    this.builders.forEach((builder, column) => {
      const kind = this.kinds[column];
      if (kind === NUMBER) builder.pushNumber(this.numbers[column]);
      else if (kind === BOOLEAN) builder.pushBoolean(this.numbers[column] === 1);
      else if (kind === TEXT) builder.pushString(this.texts[column]);
      else builder.pushMissing();
    });
    this.rows++;
  }

  private startColumns(): void {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let column = 0; column < this.header.length; column++) {
      const name = this.header[column];
      if (name === undefined) throw this.error(`header cell ${column + 1} is empty: every column needs a name`);
      if (seen.has(name)) throw this.error(`duplicate column name "${name}" in the header`, column, name);
      seen.add(name);
      names.push(name);
    }
    this.builders = names.map((name) => new ColumnBuilder(name, 1024, undefined, this.context.file));
    this.kinds = new Uint8Array(names.length);
    this.numbers = new Float64Array(names.length);
    this.texts = new Array<string>(names.length).fill('');
  }

  private error(detail: string, column?: number, name?: string): DataFormatError {
    const columnName = name ?? (column === undefined ? undefined : this.builders?.[column]?.name);
    return new DataFormatError(detail, { file: this.context.file, sheet: this.context.sheet, row: this.rowNumber, column: columnName });
  }
}
