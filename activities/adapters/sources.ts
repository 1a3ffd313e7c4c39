import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type S3Client } from '@aws-sdk/client-s3';
import { checkRegularFile, resolveFileInDataRoot, resolveInDataRoot, SourceNotFoundError } from './dataRoot';
import { checkHttpUrl, downloadToFile, headMarker, isHttpUrl, type HttpPolicy } from './httpSource';
import { downloadObject, objectLastModified } from './s3Objects';
import { isS3Uri, parseS3Uri } from '../../storage/s3/uri';
import { measure, type Measured } from '../../storage/streams';
import { FAILURE_TYPES } from '../../contract/failureTypes';
import { PipelineError } from '../../contract/pipelineError';

/** What reading a source or marker may use. */
export interface SourceContext {
  /** Local paths must resolve inside this folder. */
  readonly dataRoot: string;
  /** Limits of http(s) requests; `maxBytes` also bounds s3:// downloads. */
  readonly http: HttpPolicy;
  readonly s3: S3Client;
  readonly signal?: AbortSignal;
}

/** A dataset as a file on this machine, with the length and SHA-256 of its bytes. */
export interface LocalDataset extends Measured {
  readonly path: string;
}

/** A dataset source that passed its checks; nothing has been read yet. */
export interface DatasetSource {
  /** How errors name the data: the path as given, the URL's path, or the s3:// URI. */
  readonly displayName: string;
  /** The data as a local file: a local source in place, a remote one downloaded into `scratchDir`. */
  fetch(scratchDir: string): Promise<LocalDataset>;
}

/** A marker that is only newer than a time if its source says when it was written. */
export class MarkerTimeUnknownError extends PipelineError {
  override readonly name = 'MarkerTimeUnknownError';
  constructor(readonly marker: string) {
    super(FAILURE_TYPES.MarkerTimeUnknownError, `marker ${marker} has no modification time (no Last-Modified header), so newerThan cannot be checked`);
  }
}

const HASH_READ_BYTES = 1024 * 1024;

/** Our own name for a download: a response never chooses where its bytes land. */
const DOWNLOAD_NAME = 'source.download';

/**
 * Checks a dataset source before anything is read: local paths must stay inside the data root (and
 * exist), URLs must be well-formed http(s) or s3:// URIs.
 */
export async function openSource(source: string, context: SourceContext): Promise<DatasetSource> {
  if (isS3Uri(source)) {
    const ref = parseS3Uri(source);
    return {
      displayName: source,
      fetch: async (dir) => {
        const path = join(dir, DOWNLOAD_NAME);
        return { path, ...(await downloadObject(context.s3, ref, path, context.http.maxBytes, context.signal)) };
      },
    };
  }
  if (isHttpUrl(source)) {
    const url = checkHttpUrl(source);
    return {
      displayName: url.pathname,
      fetch: async (dir) => {
        const path = join(dir, DOWNLOAD_NAME);
        return { path, ...(await downloadToFile(source, path, context.http, context.signal)) };
      },
    };
  }
  const path = await resolveFileInDataRoot(context.dataRoot, source);
  return {
    displayName: basename(source),
    fetch: async () => {
      // Checked again when read: the file may have been replaced since openSource.
      await checkRegularFile(path, source);
      // Hashed for the lineage fingerprint; 1 MiB reads make that about 1 s per GB.
      return { path, ...(await measure(createReadStream(path, { highWaterMark: HASH_READ_BYTES }))) };
    },
  };
}

/** When the marker was last written, undefined when it does not exist; `needTime` asks for a real time. */
async function markerTime(marker: string, context: SourceContext, needTime: boolean): Promise<Date | undefined> {
  if (isS3Uri(marker)) return objectLastModified(context.s3, parseS3Uri(marker), context.signal);
  if (isHttpUrl(marker)) {
    const { exists, lastModified } = await headMarker(marker, context.http, context.signal);
    if (!exists) return undefined;
    if (lastModified === undefined && needTime) throw new MarkerTimeUnknownError(marker);
    return lastModified ?? new Date(0);
  }
  try {
    return (await stat(await resolveInDataRoot(context.dataRoot, marker))).mtime;
  } catch (error) {
    if (error instanceof SourceNotFoundError) return undefined;
    throw error;
  }
}

/** Whether the marker exists and, given `newerThan`, was written after that time. */
export async function markerReady(marker: string, context: SourceContext, newerThan?: Date): Promise<boolean> {
  const time = await markerTime(marker, context, newerThan !== undefined);
  return time !== undefined && (newerThan === undefined || time > newerThan);
}
