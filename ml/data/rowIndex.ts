/** Every STRIDE-th record start is kept: 1/64 of a number per row, and at most 63 records to skip. */
export const STRIDE = 64;

/**
 * Where some records start in the input, so one can be found again without keeping a position per
 * row: the start of every STRIDE-th record, in a typed array grown by doubling.
 */
export class RowIndex {
  private starts = new Float64Array(1024);
  private count = 0;

  /** Called for every record in order (again for a record parsed twice); keeps the start of those at a stride boundary. */
  note(row: number, position: number): void {
    if (row % STRIDE !== 0) return;
    const k = row / STRIDE;
    if (k < this.count) {
      this.starts[k] = position;
      return;
    }
    if (this.count === this.starts.length) {
      const grown = new Float64Array(this.count * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count++] = position;
  }

  /** The nearest noted record at or before `row`: its row and start. */
  before(row: number): { row: number; position: number } {
    const k = Math.floor(row / STRIDE);
    if (k >= this.count) throw new RangeError(`row ${row} was never noted`);
    return { row: k * STRIDE, position: this.starts[k] };
  }
}
