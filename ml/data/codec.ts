import { endianness } from 'node:os';
import { z } from 'zod';
import { type Column, type Table } from './table';
import { type Matrix, type Targets } from '../models/types';
import { DataFormatError } from './errors';

/**
 * Binary layout shared by tables and splits:
 *   bytes 0-3  magic "TMLD"
 *   bytes 4-7  byte length of the JSON header (uint32, little-endian)
 *   bytes 8-   the UTF-8 JSON header, then each block of typed-array bytes in header order,
 *              every block starting on an 8-byte boundary.
 * Block sizes follow from the header, so the header stores no offsets.
 */
const MAGIC = 'TMLD';
export const VERSION = 1;
const PREFIX = 8;

const TableHeader = z.strictObject({
  version: z.literal(VERSION),
  kind: z.literal('table'),
  rowCount: z.number().int().nonnegative(),
  columns: z.array(
    z.discriminatedUnion('type', [
      z.strictObject({ name: z.string(), type: z.enum(['number', 'integer', 'boolean']) }),
      z.strictObject({ name: z.string(), type: z.literal('string'), dictionary: z.array(z.string()) }),
    ]),
  ),
});

/** How a split's targets are described in its header: the classes of a classification, nothing for a regression. */
export const TargetsHeader = z.discriminatedUnion('task', [
  z.strictObject({ task: z.literal('classification'), classes: z.array(z.string()) }),
  z.strictObject({ task: z.literal('regression') }),
]);

const SplitHeader = z.strictObject({
  version: z.literal(VERSION),
  kind: z.literal('split'),
  rows: z.number().int().nonnegative(),
  cols: z.number().int().nonnegative(),
  featureNames: z.array(z.string()),
  targets: TargetsHeader,
});

export interface Split {
  readonly x: Matrix;
  readonly targets: Targets;
  readonly featureNames: string[];
}

function assertLittleEndian(): void {
  if (endianness() !== 'LE') throw new Error('the binary table codec supports little-endian machines only');
}

const align = (n: number): number => Math.ceil(n / 8) * 8;

/** Shared with the binned split codec. */
export function encode(header: object, blocks: readonly (Float64Array | Int32Array | Uint8Array)[]): Buffer {
  assertLittleEndian();
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  let size = align(PREFIX + json.length);
  for (const block of blocks) size += align(block.byteLength);
  const out = Buffer.alloc(size);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, PREFIX);
  let offset = align(PREFIX + json.length);
  for (const block of blocks) {
    out.set(new Uint8Array(block.buffer, block.byteOffset, block.byteLength), offset);
    offset += align(block.byteLength);
  }
  return out;
}

/** Reads blocks of typed-array bytes in order, checking each lies within the input. */
export class BlockReader {
  constructor(
    private readonly bytes: Uint8Array,
    private offset: number,
  ) {}

  float64(length: number): Float64Array {
    this.check(length * 8);
    const array = new Float64Array(length);
    this.copyInto(array);
    return array;
  }

  int32(length: number): Int32Array {
    this.check(length * 4);
    const array = new Int32Array(length);
    this.copyInto(array);
    return array;
  }

  uint8(length: number): Uint8Array {
    this.check(length);
    const array = new Uint8Array(length);
    this.copyInto(array);
    return array;
  }

  /** Throws unless the input ends exactly after the last block. */
  finish(): void {
    if (this.offset !== this.bytes.length) throw new DataFormatError(`${this.bytes.length - this.offset} unexpected bytes after the last block`);
  }

  private check(byteLength: number): void {
    if (this.offset + byteLength > this.bytes.length) throw new DataFormatError('truncated data: a block runs past the end of the input');
  }

  private copyInto(array: Float64Array | Int32Array | Uint8Array): void {
    new Uint8Array(array.buffer).set(this.bytes.subarray(this.offset, this.offset + array.byteLength));
    this.offset += align(array.byteLength);
  }
}

type Kind = 'table' | 'split' | 'binned';

function readHeaderJson(bytes: Uint8Array): { json: unknown; end: number } {
  assertLittleEndian();
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < PREFIX || buffer.toString('latin1', 0, 4) !== MAGIC) throw new DataFormatError('not an encoded table or split (bad magic)');
  const length = buffer.readUInt32LE(4);
  if (PREFIX + length > buffer.length) throw new DataFormatError('truncated data: the header runs past the end of the input');
  try {
    return { json: JSON.parse(buffer.toString('utf8', PREFIX, PREFIX + length)), end: align(PREFIX + length) };
  } catch (error) {
    throw new DataFormatError('corrupt header: not JSON', {}, { cause: error });
  }
}

const kindIn = (json: unknown): unknown => (typeof json === 'object' && json !== null && 'kind' in json ? json.kind : undefined);

/** What the bytes encode (`table`, `split` or `binned`), read from the header alone. */
export function encodedKind(bytes: Uint8Array): unknown {
  return kindIn(readHeaderJson(bytes).json);
}

export function decodeHeader<T>(bytes: Uint8Array, kind: Kind, schema: z.ZodType<T>): { header: T; blocks: BlockReader } {
  const { json, end } = readHeaderJson(bytes);
  const found = kindIn(json);
  if (found !== kind) throw new DataFormatError(`expected an encoded ${kind}, found ${typeof found === 'string' ? `a ${found}` : 'something else'}`);
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new DataFormatError(`unexpected header: ${z.prettifyError(parsed.error)}`, {}, { cause: parsed.error });
  return { header: parsed.data, blocks: new BlockReader(bytes, end) };
}

/** Throws unless every code lies in [lowest, count). */
export function assertCodes(codes: Int32Array, lowest: number, count: number, what: string): void {
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] < lowest || codes[i] >= count) throw new DataFormatError(`corrupt data: ${what} holds code ${codes[i]}, outside ${lowest}..${count - 1}`);
  }
}

/** The table as compact bytes: a JSON header, then each column's typed array. */
export function encodeTable(table: Table): Buffer {
  const header: z.input<typeof TableHeader> = {
    version: VERSION,
    kind: 'table',
    rowCount: table.rowCount,
    columns: table.columns.map((c) => (c.type === 'string' ? { name: c.name, type: c.type, dictionary: [...c.dictionary] } : { name: c.name, type: c.type })),
  };
  return encode(header, table.columns.map((c) => (c.type === 'string' ? c.codes : c.values)));
}

export function decodeTable(bytes: Uint8Array): Table {
  const { header, blocks } = decodeHeader(bytes, 'table', TableHeader);
  const { rowCount } = header;
  const columns = header.columns.map((meta): Column => {
    if (meta.type !== 'string') return { name: meta.name, type: meta.type, values: blocks.float64(rowCount) };
    const codes = blocks.int32(rowCount);
    assertCodes(codes, -1, meta.dictionary.length, `column "${meta.name}"`);
    return { name: meta.name, type: 'string', codes, dictionary: meta.dictionary };
  });
  blocks.finish();
  return { rowCount, columns };
}

/** A train or test split as compact bytes: the feature matrix and the targets. */
export function encodeSplit(split: { readonly x: Matrix; readonly targets: Targets; readonly featureNames: readonly string[] }): Buffer {
  const { x, targets, featureNames } = split;
  if (x.data.length !== x.rows * x.cols) throw new RangeError(`matrix data holds ${x.data.length} values, not ${x.rows} x ${x.cols}`);
  if (featureNames.length !== x.cols) throw new RangeError(`${featureNames.length} feature names for ${x.cols} columns`);
  if (targets.y.length !== x.rows) throw new RangeError(`${targets.y.length} targets for ${x.rows} rows`);
  const header: z.input<typeof SplitHeader> = {
    version: VERSION,
    kind: 'split',
    rows: x.rows,
    cols: x.cols,
    featureNames: [...featureNames],
    targets: targets.task === 'classification' ? { task: 'classification', classes: [...targets.classes] } : { task: 'regression' },
  };
  return encode(header, [x.data, targets.y]);
}

export function decodeSplit(bytes: Uint8Array): Split {
  const { header, blocks } = decodeHeader(bytes, 'split', SplitHeader);
  const { rows, cols } = header;
  if (header.featureNames.length !== cols) throw new DataFormatError(`corrupt header: ${header.featureNames.length} feature names for ${cols} columns`);
  const x: Matrix = { rows, cols, data: blocks.float64(rows * cols) };
  const targets = decodeTargets(header.targets, blocks, rows);
  blocks.finish();
  return { x, targets, featureNames: header.featureNames };
}

/** A split's targets block, as its header describes them; class codes are checked against the classes. */
export function decodeTargets(described: z.infer<typeof TargetsHeader>, blocks: BlockReader, rows: number): Targets {
  if (described.task === 'regression') return { task: 'regression', y: blocks.float64(rows) };
  const y = blocks.int32(rows);
  assertCodes(y, 0, described.classes.length, 'the targets');
  return { task: 'classification', classes: described.classes, y };
}
