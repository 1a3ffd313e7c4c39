import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ArchiveError, DataFormatError, InputLimitError, UnsafeArchiveError } from '../errors';
import { type IngestLimits } from '../limits';
import { ByteCounter, ExpansionBudget, ExpansionGuard } from './expansion';
import { unsafeEntryReason } from './entryNames';
import { type ZipArchive, type ZipEntry } from './zip';

/** Our own limit errors pass through; anything else a decompressor says means the data is corrupt. */
function asInputError(error: unknown, wrap: (message: string) => Error): unknown {
  if (error instanceof InputLimitError || (error as { name?: string }).name === 'AbortError') return error;
  return wrap((error as Error).message);
}

/**
 * Decompresses a gzip file to `target`, streaming, with a running count of output against the
 * limits: a gzip bomb fails within one chunk of the limit and leaves at most that much on disk.
 * Concatenated gzip members (as `cat a.gz b.gz` makes) are read as one stream.
 */
export async function gunzipFile(path: string, file: string, target: string, limits: IngestLimits, signal?: AbortSignal): Promise<void> {
  const counter = new ByteCounter();
  const guard = new ExpansionGuard(new ExpansionBudget(file, limits), () => counter.count);
  await mkdir(dirname(target), { recursive: true });
  try {
    await pipeline(createReadStream(path), counter, createGunzip(), guard, createWriteStream(target, { flags: 'wx' }), { signal });
  } catch (error) {
    throw asInputError(error, (message) => new DataFormatError(`not valid gzip data: ${message}`, { file }));
  }
}

/**
 * Extracts one zip entry into `folder`, at the path its name gives. Names were checked when the
 * archive was opened; they are checked again here, where the path is made, so nothing else can
 * ever write outside the folder.
 */
export async function extractEntry(archive: ZipArchive, entry: ZipEntry, file: string, folder: string, signal?: AbortSignal): Promise<string> {
  const reason = unsafeEntryReason(entry.name, folder);
  if (reason !== undefined) throw new UnsafeArchiveError(file, entry.name, reason);
  const target = join(folder, entry.name);
  // The folder first: the entry's stream is consumed as soon as it is opened, with nothing awaited between.
  await mkdir(dirname(target), { recursive: true });
  const stream = await archive.open(entry);
  try {
    await pipeline(stream, createWriteStream(target, { flags: 'wx' }), { signal });
  } catch (error) {
    throw asInputError(error, (message) => new ArchiveError(file, `cannot extract ${JSON.stringify(entry.name)}: ${message}`, { cause: error }));
  }
  return target;
}
