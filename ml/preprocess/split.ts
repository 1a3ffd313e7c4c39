import { type SplitSpec } from '../../contract/params';
import { createRng, shuffle } from '../random';
import { PreprocessError } from '../data/errors';

export interface TrainTest {
  /** Ascending table rows. */
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * How many rows of each class go to the test split: each class's share of `testCount`, rounded
 * down, then the rows still owed go one each to the classes with the largest remainders (like
 * sklearn's stratified split), never taking a class's last training row.
 */
function testCounts(classSizes: readonly number[], total: number, testCount: number): number[] {
  const exact = classSizes.map((size) => (size * testCount) / total);
  const counts = exact.map((share, k) => Math.min(Math.floor(share), classSizes[k] - 1));
  const remainder = exact.map((share) => share - Math.floor(share));
  const order = classSizes.map((_, k) => k).sort((a, b) => remainder[b] - remainder[a] || classSizes[b] - classSizes[a] || a - b);
  let owed = testCount - counts.reduce((sum, c) => sum + c, 0);
  let progressed = true;
  while (owed > 0 && progressed) {
    progressed = false;
    for (const k of order) {
      if (owed === 0) break;
      if (counts[k] < classSizes[k] - 1) {
        counts[k]++;
        owed--;
        progressed = true;
      }
    }
  }
  return counts;
}

const TRAIN = 1;
const TEST = 2;

/** Marks every row of `rows` as a training row, indexed by row. */
function membershipOf(rows: Int32Array): Uint8Array {
  let top = 0;
  for (const row of rows) if (row >= top) top = row + 1;
  const membership = new Uint8Array(top);
  for (const row of rows) membership[row] = TRAIN;
  return membership;
}

/** Both splits in ascending row order. */
function partition(membership: Uint8Array, total: number, testCount: number): TrainTest {
  const train = new Int32Array(total - testCount);
  const test = new Int32Array(testCount);
  let trainAt = 0;
  let testAt = 0;
  for (let row = 0; row < membership.length; row++) {
    if (membership[row] === TEST) test[testAt++] = row;
    else if (membership[row] === TRAIN) train[trainAt++] = row;
  }
  return { train, test };
}

/**
 * A seeded shuffle split of `rows` into train and test (test gets ceil(testSize * n) rows). With
 * `classOf` and `spec.stratify`, each class keeps its proportion in both splits and at least one
 * training row. An empty split is an error.
 */
export function trainTestSplit(rows: Int32Array, spec: SplitSpec, classOf?: (row: number) => number): TrainTest {
  const n = rows.length;
  const testCount = Math.ceil(spec.testSize * n);
  if (testCount === 0 || testCount >= n) {
    throw new PreprocessError(`a test size of ${spec.testSize} leaves the ${testCount === 0 ? 'test' : 'training'} split of ${n} rows empty`);
  }
  const rng = createRng(spec.seed);
  const membership = membershipOf(rows);
  if (classOf === undefined || !spec.stratify) {
    const order = shuffle(Int32Array.from(rows), rng);
    for (let i = 0; i < testCount; i++) membership[order[i]] = TEST;
    return partition(membership, n, testCount);
  }

  const byClass = new Map<number, number[]>();
  for (const row of rows) {
    const k = classOf(row);
    let members = byClass.get(k);
    if (members === undefined) byClass.set(k, (members = []));
    members.push(row);
  }
  const groups = [...byClass.entries()].sort((a, b) => a[0] - b[0]).map(([, members]) => Int32Array.from(members));
  const counts = testCounts(groups.map((g) => g.length), n, testCount);
  let stratifiedCount = 0;
  groups.forEach((group, k) => {
    shuffle(group, rng);
    for (let i = 0; i < counts[k]; i++) membership[group[i]] = TEST;
    stratifiedCount += counts[k];
  });
  if (stratifiedCount === 0) throw new PreprocessError(`a stratified test split of ${n} rows is empty: every class has a single row`);
  return partition(membership, n, stratifiedCount);
}
