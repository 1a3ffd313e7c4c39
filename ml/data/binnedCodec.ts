import { z } from 'zod';
import { type BinnedMatrix } from '../models/binning';
import { type Targets } from '../models/types';
import { decodeHeader, decodeSplit, decodeTargets, encode, encodedKind, type Split, TargetsHeader, VERSION } from './codec';
import { DataFormatError } from './errors';

/**
 * A split for trees: one byte per feature and row (column-major bins) and each feature's bin
 * edges, instead of a dense Float64 matrix with one-hot columns. Same layout as the other codecs:
 * header, then the bins, all features' edges back to back, then the targets.
 */
const BinnedHeader = z.strictObject({
  version: z.literal(VERSION),
  kind: z.literal('binned'),
  rows: z.number().int().nonnegative(),
  cols: z.number().int().nonnegative(),
  featureNames: z.array(z.string()),
  /** How many edges each feature has (at most 255: a bin index fits a byte). */
  edges: z.array(z.number().int().min(0).max(255)),
  targets: TargetsHeader,
});

export interface BinnedSplit {
  readonly x: BinnedMatrix;
  readonly targets: Targets;
  readonly featureNames: string[];
}

export function encodeBinnedSplit(split: { readonly x: BinnedMatrix; readonly targets: Targets; readonly featureNames: readonly string[] }): Buffer {
  const { x, targets, featureNames } = split;
  if (x.bins.length !== x.rows * x.cols) throw new RangeError(`bins hold ${x.bins.length} values, not ${x.rows} x ${x.cols}`);
  if (featureNames.length !== x.cols || x.thresholds.length !== x.cols) throw new RangeError(`${featureNames.length} names and ${x.thresholds.length} edge lists for ${x.cols} features`);
  if (targets.y.length !== x.rows) throw new RangeError(`${targets.y.length} targets for ${x.rows} rows`);
  const edges = x.thresholds.map((t) => t.length);
  const allEdges = new Float64Array(edges.reduce((sum, n) => sum + n, 0));
  let at = 0;
  for (const t of x.thresholds) {
    allEdges.set(t, at);
    at += t.length;
  }
  const header: z.input<typeof BinnedHeader> = {
    version: VERSION,
    kind: 'binned',
    rows: x.rows,
    cols: x.cols,
    featureNames: [...featureNames],
    edges,
    targets: targets.task === 'classification' ? { task: 'classification', classes: [...targets.classes] } : { task: 'regression' },
  };
  return encode(header, [x.bins, allEdges, targets.y]);
}

export function decodeBinnedSplit(bytes: Uint8Array): BinnedSplit {
  const { header, blocks } = decodeHeader(bytes, 'binned', BinnedHeader);
  const { rows, cols, edges } = header;
  if (header.featureNames.length !== cols || edges.length !== cols) throw new DataFormatError(`corrupt header: ${header.featureNames.length} names and ${edges.length} edge counts for ${cols} features`);
  const bins = blocks.uint8(rows * cols);
  const allEdges = blocks.float64(edges.reduce((sum, n) => sum + n, 0));
  const thresholds: Float64Array[] = [];
  let at = 0;
  for (let f = 0; f < cols; f++) {
    thresholds.push(allEdges.subarray(at, at + edges[f]));
    at += edges[f];
    for (let r = f * rows, end = r + rows; r < end; r++) {
      if (bins[r] > edges[f]) throw new DataFormatError(`corrupt data: feature ${header.featureNames[f]} holds bin ${bins[r]}, past its ${edges[f]} edges`);
    }
  }
  const targets = decodeTargets(header.targets, blocks, rows);
  blocks.finish();
  return { x: { rows, cols, bins, thresholds }, targets, featureNames: header.featureNames };
}

/** A training or held-out split in either form: binned (forests) or dense (linear models). */
export function decodeAnySplit(bytes: Uint8Array): Split | BinnedSplit {
  return encodedKind(bytes) === 'binned' ? decodeBinnedSplit(bytes) : decodeSplit(bytes);
}
