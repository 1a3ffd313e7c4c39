import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteObjectCommand,
  AbortMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ArtifactNotFoundError, checkKey, type ArtifactRef, type ArtifactStore, type ObjectStream, type VersionedObject } from './artifactStore';
import { isConditionalConflict, isNotFound, isPreconditionFailed } from './s3/errors';
import { StreamMeter, type ByteSource } from './streams';
import { sha256Of } from './digest';

/** A bucket and a key prefix (no leading or trailing `/`, may be empty) under which the store lives. */
export interface S3StoreLocation {
  readonly bucket: string;
  readonly prefix: string;
}

export interface S3StoreOptions {
  /** Part size of multipart uploads; S3 requires at least 5 MiB. Memory held per upload is about partSize x queueSize. */
  readonly partSizeBytes?: number;
  /** Parts uploaded at once. */
  readonly queueSize?: number;
}

const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
const DEFAULT_QUEUE_SIZE = 2;
/** AWS answers 409 while another conditional write to the key is in flight and asks for a retry. */
const CONDITIONAL_CONFLICT_RETRIES = 5;

const bytesOf = (data: Uint8Array | string): Uint8Array => (typeof data === 'string' ? Buffer.from(data, 'utf8') : data);

/**
 * The artifact store on S3 (or an S3-compatible server): the same keys as the local store, under
 * `s3://bucket/prefix/`.
 *
 * - Integrity: every write names the SHA-256 of what it sends (per part for multipart), and the
 *   server refuses a body that does not match; reads ask the server for its checksum and the SDK
 *   checks it where the object has a whole-object one.
 * - Atomicity: a PutObject or a completed multipart upload replaces the key as a whole, so a
 *   retried step overwrites its own keys and a reader sees the old or the new object, never a mix.
 *   An upload that fails is aborted, so no parts stay behind; uploads left by a crashed worker are
 *   aborted when the key is written again.
 * - putIfAbsent and replaceIfVersion are conditional writes (If-None-Match: * and If-Match on the
 *   ETag), decided by the server, so concurrent writers on any number of hosts cannot both win.
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly kind = 's3' as const;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(
    private readonly client: S3Client,
    private readonly location: S3StoreLocation,
    options: S3StoreOptions = {},
  ) {
    this.partSize = options.partSizeBytes ?? DEFAULT_PART_SIZE;
    this.queueSize = options.queueSize ?? DEFAULT_QUEUE_SIZE;
  }

  private objectKey(key: string): string {
    checkKey(key);
    return this.location.prefix === '' ? key : `${this.location.prefix}/${key}`;
  }

  uri(key: string): string {
    return `s3://${this.location.bucket}/${this.objectKey(key)}`;
  }

  private async putInput(key: string, bytes: Uint8Array, contentType?: string): Promise<PutObjectCommandInput> {
    return {
      Bucket: this.location.bucket,
      Key: this.objectKey(key),
      Body: bytes,
      ContentType: contentType,
      ChecksumSHA256: await sha256Of(bytes, 'base64'),
    };
  }

  private ref(key: string, bytes: number, sha256: string): ArtifactRef {
    return { key, uri: this.uri(key), bytes, sha256 };
  }

  async put(key: string, data: Uint8Array | string, contentType?: string): Promise<ArtifactRef> {
    const bytes = bytesOf(data);
    const input = await this.putInput(key, bytes, contentType);
    await this.client.send(new PutObjectCommand(input));
    return this.ref(key, bytes.byteLength, Buffer.from(input.ChecksumSHA256!, 'base64').toString('hex'));
  }

  async putStream(key: string, body: ByteSource, contentType?: string): Promise<ArtifactRef> {
    const objectKey = this.objectKey(key);
    await this.abortUnfinishedUploads(objectKey);
    const meter = new StreamMeter();
    // lib-storage cuts the stream into Buffer parts: a body below one part goes as one PutObject,
    // a larger one as a multipart upload. Each part carries its own SHA-256 header (the SDK only
    // uses aws-chunked trailers for stream bodies, which it never gets here).
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.location.bucket, Key: objectKey, Body: Readable.from(meter.pass(body)), ContentType: contentType, ChecksumAlgorithm: 'SHA256' },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    await upload.done();
    const { bytes, sha256 } = meter.measured();
    return this.ref(key, bytes, sha256);
  }

  /** Multipart uploads of this exact key that a crashed earlier attempt never completed nor aborted. */
  private async abortUnfinishedUploads(objectKey: string): Promise<void> {
    const listed = await this.client.send(new ListMultipartUploadsCommand({ Bucket: this.location.bucket, Prefix: objectKey }));
    const stale = (listed.Uploads ?? []).filter((u) => u.Key === objectKey && u.UploadId !== undefined);
    await Promise.all(
      stale.map((u) => this.client.send(new AbortMultipartUploadCommand({ Bucket: this.location.bucket, Key: objectKey, UploadId: u.UploadId }))),
    );
  }

  /** One conditional PutObject; true when written, false when the condition did not hold. */
  private async putConditionally(input: PutObjectCommandInput): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new PutObjectCommand(input));
        return true;
      } catch (error) {
        if (isPreconditionFailed(error)) return false;
        // If-Match on a key that is gone: AWS says 404, which is the same lost race.
        if (input.IfMatch !== undefined && isNotFound(error)) return false;
        if (!isConditionalConflict(error) || attempt >= CONDITIONAL_CONFLICT_RETRIES) throw error;
        await sleep(50 * attempt);
      }
    }
  }

  async putIfAbsent(key: string, data: Uint8Array | string, contentType?: string): Promise<boolean> {
    return this.putConditionally({ ...(await this.putInput(key, bytesOf(data), contentType)), IfNoneMatch: '*' });
  }

  async replaceIfVersion(key: string, data: Uint8Array | string, expected: string | undefined, contentType?: string): Promise<boolean> {
    const input = await this.putInput(key, bytesOf(data), contentType);
    return this.putConditionally(expected === undefined ? { ...input, IfNoneMatch: '*' } : { ...input, IfMatch: expected });
  }

  private async read(key: string): Promise<VersionedObject> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key), ChecksumMode: 'ENABLED' }));
      const data = Buffer.from(await response.Body!.transformToByteArray());
      return { data, version: response.ETag ?? '' };
    } catch (error) {
      if (isNotFound(error)) throw new ArtifactNotFoundError(key);
      throw error;
    }
  }

  async get(key: string): Promise<Buffer> {
    return (await this.read(key)).data;
  }

  async getStream(key: string): Promise<ObjectStream> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key), ChecksumMode: 'ENABLED' }));
      // In Node the SDK's body is an IncomingMessage (a Readable), checksum-checked as it flows.
      return { bytes: response.ContentLength ?? 0, body: response.Body as Readable };
    } catch (error) {
      if (isNotFound(error)) throw new ArtifactNotFoundError(key);
      throw error;
    }
  }

  async getVersioned(key: string): Promise<VersionedObject | undefined> {
    try {
      return await this.read(key);
    } catch (error) {
      if (error instanceof ArtifactNotFoundError) return undefined;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 whether or not the object was there.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
  }

  async list(prefix: string): Promise<string[]> {
    // A prefix names a folder, as in the local store: "models/a" lists models/a/..., not models/ab/...
    const folder = prefix.replace(/\/$/, '');
    const objectPrefix = folder === '' ? this.location.prefix : this.objectKey(folder);
    const listPrefix = objectPrefix === '' ? '' : `${objectPrefix}/`;
    const strip = this.location.prefix === '' ? 0 : this.location.prefix.length + 1;
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: this.location.bucket, Prefix: listPrefix })) {
      for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key.slice(strip));
    }
    return keys.sort();
  }
}
