import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTool } from '../../../tools/find';
import { request, type ApiResponse } from '../apiRequest';
import { environment, loadCompose, ROOT, shellScript, type Service } from '../compose';
import { withoutTemporalSettings } from '../isolatedEnv';
import { freePort } from '../ports';
import { startS3Server, type S3TestServer } from '../s3Server';
import { buildDist, imageEnv, layOutApp, productionDependencies } from './appImage';
import { spawnApp, type AppProcess } from './appProcess';
import { startPostgres, type PostgresServer } from './postgres';
import { repoScrapeConfig, rewriteScrapeConfig, startPrometheus, type PrometheusServer } from './prometheusServer';
import { startTemporalServer, type TemporalServer } from './temporalServer';

/** The compose services whose processes we run, with the container ports Prometheus scrapes. */
type Replica = { readonly process?: AppProcess; readonly ports: Record<number, number> };

/** docker-compose.yaml's topology as processes on 127.0.0.1 (see README "Production"). */
export interface ProductionStack {
  readonly baseUrl: string;
  readonly apiKey: string;
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>>;
  readonly postgres: PostgresServer;
  readonly temporal: TemporalServer;
  readonly prometheus: PrometheusServer;
  readonly s3: S3TestServer;
  /** DATA_ROOT of the workers: the image's examples/data. */
  readonly dataRoot: string;
  readonly api: AppProcess;
  readonly workerLight: AppProcess;
  /** Compute replica `i` (0 runs from the start; 1 is started by `startCompute(1)`). */
  compute(i: number): AppProcess | undefined;
  startCompute(i: number): Promise<AppProcess>;
  /** Runs a one-shot setup job's script (temporal-schema, temporal-setup) against our servers; its output. */
  runJob(name: 'temporal-schema' | 'temporal-setup'): Promise<string>;
  /** Seconds each part of the start took. */
  readonly timings: Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

const COMPUTE_REPLICAS = 2;

export async function startProductionStack(log: (m: string) => void = (m) => console.error(m)): Promise<ProductionStack> {
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, body: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    try {
      return await body();
    } finally {
      timings[name] = (Date.now() - t) / 1000;
    }
  };
  const { services } = loadCompose();
  const service = (name: string): Service => services[name] ?? (() => { throw new Error(`docker-compose.yaml has no service ${name}`); })();
  const dir = await mkdtemp(join(tmpdir(), 'mlp-prod-'));
  const pgDir = await mkdtemp(join(tmpdir(), 'mlp-prod-pg-'));
  const cleanups: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true }), () => rm(pgDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch((e: unknown) => log(`cleanup: ${String(e)}`));
  };
  try {
    // The binaries the admin-tools image has on PATH, by their names there.
    const binDir = join(dir, 'bin');
    await mkdir(binDir);
    const [sqlTool, cli] = await Promise.all([ensureTool('temporal-sql-tool'), ensureTool('temporal')]);
    await Promise.all([symlink(sqlTool.path, join(binDir, 'temporal-sql-tool')), symlink(cli.path, join(binDir, 'temporal'))]);

    const appEnv = environment(service('api'));
    const artifactBucket = new URL(appEnv.ARTIFACT_ROOT).host;
    const minio = environment(service('minio'));
    const [nodeModules, dist, s3, postgres] = await Promise.all([
      timed('productionDependencies', () => productionDependencies(log)),
      timed('npmRunBuild', () => buildDist()),
      timed('s3', () => startS3Server(artifactBucket, { accessKeyId: minio.MINIO_ROOT_USER, secretAccessKey: minio.MINIO_ROOT_PASSWORD })),
      timed('postgres', () => startPostgres(pgDir, environment(service('postgresql')).POSTGRES_USER, environment(service('postgresql')).POSTGRES_PASSWORD)),
    ]);
    cleanups.push(() => s3.remove(), () => postgres.stop());
    const appDir = await layOutApp(join(dir, 'app'), dist, nodeModules);

    const servers: { temporal?: TemporalServer } = {};
    const runJob = async (name: 'temporal-schema' | 'temporal-setup'): Promise<string> => {
      const overrides: Record<string, string> =
        name === 'temporal-schema' ? { SQL_HOST: '127.0.0.1', SQL_PORT: String(postgres.port) } : { TEMPORAL_ADDRESS: servers.temporal!.address };
      const env = { ...withoutTemporalSettings({ PATH: `${binDir}:${process.env.PATH}` }), ...environment(service(name)), ...overrides };
      const child = spawn('/bin/sh', ['-c', shellScript(service(name))], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      if (code !== 0) throw new Error(`compose job ${name} exited with ${code}:\n${out}`);
      return out;
    };
    await timed('temporalSchemaJob', () => runJob('temporal-schema'));

    // The compose volume's container path, read from the file the repository mounts there.
    const temporalEnv = environment(service('temporal'));
    const mount = (service('temporal').volumes ?? []).map((v) => v.split(':')).find(([, target]) => temporalEnv.DYNAMIC_CONFIG_FILE_PATH.startsWith(target))!;
    const dynamicConfig = join(ROOT, mount[0], temporalEnv.DYNAMIC_CONFIG_FILE_PATH.slice(mount[1].length));
    const server = await timed('temporalServer', () => startTemporalServer(temporalEnv, { host: '127.0.0.1', port: postgres.port }, dynamicConfig));
    servers.temporal = server;
    cleanups.push(() => server.stop());
    await timed('temporalSetupJob', () => runJob('temporal-setup'));

    // The image's ENV (paths under /app are the app folder's), then the service's, then our addresses.
    const image = Object.fromEntries(Object.entries(await imageEnv()).map(([k, v]) => [k, v.replace(/^\/app(?=\/|$)/, appDir)]));
    const base = { ...withoutTemporalSettings({ PATH: process.env.PATH }), ...image };
    const replicas: Record<string, Replica[]> = {};
    const commandOf = (name: string) => [service(name).command].flat() as string[];
    const startWorker = async (name: 'worker-light' | 'worker-compute', index: number): Promise<AppProcess> => {
      const svc = environment(service(name));
      const ports = replicas[name][index].ports;
      const env = {
        ...base,
        ...svc,
        TEMPORAL_ADDRESS: server.address,
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        METRICS_HOST: '127.0.0.1',
        WORKER_METRICS_PORT: String(ports[Number(svc.WORKER_METRICS_PORT)]),
        SDK_METRICS_PORT: String(ports[Number(svc.SDK_METRICS_PORT)]),
      };
      const proc = spawnApp(`${name}-${index}`, appDir, commandOf(name), env);
      replicas[name][index] = { process: proc, ports };
      cleanups.push(() => proc.stop());
      await proc.ready(`http://127.0.0.1:${env.WORKER_METRICS_PORT}/readyz`);
      return proc;
    };
    const portsFor = async (svc: Record<string, string>) => ({ [Number(svc.WORKER_METRICS_PORT)]: await freePort(), [Number(svc.SDK_METRICS_PORT)]: await freePort() });
    replicas['worker-light'] = [{ ports: await portsFor(environment(service('worker-light'))) }];
    replicas['worker-compute'] = [];
    for (let i = 0; i < COMPUTE_REPLICAS; i++) replicas['worker-compute'].push({ ports: await portsFor(environment(service('worker-compute'))) });
    const apiPort = await freePort();
    replicas.api = [{ ports: { [Number(appEnv.PORT)]: apiPort } }];
    replicas.temporal = [{ ports: { [Number(temporalEnv.PROMETHEUS_ENDPOINT.split(':')[1])]: Number(server.metricsAddress.split(':')[1]) } }];

    const [workerLight, compute0, api] = await timed('appProcesses', () =>
      Promise.all([
        startWorker('worker-light', 0),
        startWorker('worker-compute', 0),
        (async () => {
          const env = { ...base, ...appEnv, TEMPORAL_ADDRESS: server.address, AWS_ENDPOINT_URL_S3: s3.endpoint, HOST: '127.0.0.1', PORT: String(apiPort) };
          const proc = spawnApp('api', appDir, commandOf('api'), env);
          cleanups.push(() => proc.stop());
          await proc.ready(`http://127.0.0.1:${apiPort}/readyz`);
          return proc;
        })(),
      ]),
    );
    void compute0;

    const resolve = (host: string, port: number): string[] => {
      const list = replicas[host];
      if (!list) throw new Error(`the scrape config names ${host}, which is no service we run`);
      return list.map((r) => `127.0.0.1:${r.ports[port] ?? (() => { throw new Error(`${host} has no port ${port}`); })()}`);
    };
    const promDir = join(dir, 'prometheus');
    await mkdir(promDir);
    const prometheus = await timed('prometheus', async () => startPrometheus(promDir, rewriteScrapeConfig(await repoScrapeConfig(), resolve)));
    cleanups.push(() => prometheus.stop());

    const baseUrl = `http://127.0.0.1:${apiPort}`;
    return {
      baseUrl,
      apiKey: appEnv.API_KEY,
      call: (method, path, body) => request(baseUrl, method, path, body, { 'x-api-key': appEnv.API_KEY }),
      postgres,
      temporal: server,
      prometheus,
      s3,
      dataRoot: image.DATA_ROOT,
      api,
      workerLight,
      compute: (i) => replicas['worker-compute'][i]?.process,
      startCompute: (i) => startWorker('worker-compute', i),
      runJob,
      timings,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
