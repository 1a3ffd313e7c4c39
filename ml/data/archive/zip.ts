import { type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { ArchiveError, InputLimitError, UnsafeArchiveError } from '../errors';
import { type IngestLimits, formatBytes } from '../limits';
import { ExpansionBudget, ExpansionGuard } from './expansion';
import { unsafeEntryReason } from './entryNames';

/** One file of a zip archive, as its central directory declares it. */
export interface ZipEntry {
  readonly name: string;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly raw: yauzl.Entry;
}

/**
 * A zip archive opened for reading with every safety check done up front: entry count, entry
 * names (see unsafeEntryReason: any unsafe entry refuses the whole archive, chosen or not) and
 * encryption. Entries are then read as streams whose output counts against one shared budget, so
 * declared sizes are checked before reading and real sizes while reading.
 */
export class ZipArchive {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly file: string,
    private readonly limits: IngestLimits,
    private readonly budget: ExpansionBudget,
    readonly entries: readonly ZipEntry[],
  ) {}

  /**
   * Opens `path`; `file` names it in errors and `folder` is where entries would be extracted,
   * against which their names are checked.
   */
  static async open(path: string, file: string, limits: IngestLimits, folder: string): Promise<ZipArchive> {
    let zip: yauzl.ZipFile;
    try {
      // decodeStrings: false, so names are checked here (with our error) rather than by yauzl.
      zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
    } catch (error) {
      throw new ArchiveError(file, `not a readable zip archive: ${(error as Error).message}`, { cause: error });
    }
    try {
      if (zip.entryCount > limits.maxEntries) {
        throw new InputLimitError(file, 'maxEntries', `the archive lists ${zip.entryCount} entries`);
      }
      const entries: ZipEntry[] = [];
      for await (const raw of zip.eachEntry()) {
        const name = yauzl.getFileNameLowLevel(raw.generalPurposeBitFlag, raw.fileNameRaw, raw.extraFields, false);
        const reason = unsafeEntryReason(name, folder, raw.externalFileAttributes);
        if (reason !== undefined) throw new UnsafeArchiveError(file, name, reason);
        if (raw.isEncrypted()) throw new ArchiveError(file, `entry ${JSON.stringify(name)} is encrypted`);
        if (!name.endsWith('/')) entries.push({ name, compressedSize: raw.compressedSize, uncompressedSize: raw.uncompressedSize, raw });
      }
      return new ZipArchive(zip, file, limits, new ExpansionBudget(file, limits), entries);
    } catch (error) {
      zip.close();
      if (error instanceof InputLimitError || error instanceof UnsafeArchiveError || error instanceof ArchiveError) throw error;
      throw new ArchiveError(file, `corrupt zip archive: ${(error as Error).message}`, { cause: error });
    }
  }

  /** The entry of that exact name, if any. */
  find(name: string): ZipEntry | undefined {
    return this.entries.find((e) => e.name === name);
  }

  /**
   * The decompressed bytes of an entry as a stream that fails with InputLimitError once the
   * archive's output passes a limit. Declared sizes are checked first, so an honest bomb is refused
   * before anything is inflated; a lying one is stopped by the running count (and by yauzl's check
   * of the declared size).
   */
  async open(entry: ZipEntry): Promise<Readable> {
    const { maxUncompressedBytes, maxCompressionRatio, ratioGraceBytes } = this.limits;
    if (entry.uncompressedSize > maxUncompressedBytes) {
      throw new InputLimitError(this.file, 'maxUncompressedBytes', `entry ${JSON.stringify(entry.name)} declares ${formatBytes(entry.uncompressedSize)}`);
    }
    if (entry.uncompressedSize > ratioGraceBytes && entry.uncompressedSize > Math.max(1, entry.compressedSize) * maxCompressionRatio) {
      throw new InputLimitError(
        this.file,
        'maxCompressionRatio',
        `entry ${JSON.stringify(entry.name)} declares ${formatBytes(entry.uncompressedSize)} from ${formatBytes(entry.compressedSize)}: a zip bomb?`,
      );
    }
    let stream: Readable;
    try {
      stream = await this.zip.openReadStreamPromise(entry.raw);
    } catch (error) {
      throw new ArchiveError(this.file, `cannot read entry ${JSON.stringify(entry.name)}: ${(error as Error).message}`, { cause: error });
    }
    // The compressed input of an entry is exactly its declared compressed size, read from our file.
    const guard = new ExpansionGuard(this.budget, () => entry.compressedSize);
    stream.on('error', (error) => guard.destroy(error));
    guard.on('close', () => stream.destroy());
    // A lying size can fail the stream before its reader has attached: without a listener that
    // 'error' would end the process. The error is not lost: the guard keeps it as `errored`, and
    // pipeline() and async iteration, the only ways entries are read, report it.
    guard.on('error', () => undefined);
    return stream.pipe(guard);
  }

  close(): void {
    this.zip.close();
  }
}
