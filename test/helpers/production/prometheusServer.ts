import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, stringify } from 'yaml';
import { ensureTool } from '../../../tools/find';
import { ROOT } from '../compose';
import { freePort } from '../ports';

interface ScrapeConfig {
  job_name: string;
  static_configs?: { targets: string[]; labels?: Record<string, string> }[];
  dns_sd_configs?: { names: string[]; type: string; port: number }[];
  [key: string]: unknown;
}
export interface PrometheusConfig {
  global: { scrape_interval: string; [key: string]: unknown };
  scrape_configs: ScrapeConfig[];
}

/** Where a compose service's container port is on this machine: one address per replica. */
export type Resolve = (service: string, port: number) => string[];

export async function repoScrapeConfig(): Promise<PrometheusConfig> {
  return parse(await readFile(join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8'), { merge: true }) as PrometheusConfig;
}

/**
 * The repository's scrape config with only host names and ports replaced: a static `service:port`
 * by the local address, and a DNS lookup of service names by the addresses of the service's
 * replicas, labelled with the name the lookup would give (`__meta_dns_name`) so the relabelling
 * (pool label) works unchanged.
 */
export function rewriteScrapeConfig(config: PrometheusConfig, resolve: Resolve): PrometheusConfig {
  const scrape_configs = config.scrape_configs.map(({ dns_sd_configs, static_configs, ...job }) => {
    const statics = (static_configs ?? []).map((group) => ({
      ...group,
      targets: group.targets.flatMap((t) => {
        const [host, port] = t.split(':');
        return resolve(host, Number(port));
      }),
    }));
    const resolved = (dns_sd_configs ?? []).flatMap((sd) => sd.names.map((name) => ({ targets: resolve(name, sd.port), labels: { __meta_dns_name: name } })));
    return { ...job, static_configs: [...statics, ...resolved] };
  });
  return { ...config, scrape_configs };
}

export interface PrometheusServer {
  readonly url: string;
  /** An instant query through the HTTP API; the result vector. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
  output(): string;
}

export async function startPrometheus(dir: string, config: PrometheusConfig): Promise<PrometheusServer> {
  const prometheus = (await ensureTool('prometheus')).path;
  const port = await freePort();
  const file = join(dir, 'prometheus.yml');
  await writeFile(file, stringify(config));
  const child: ChildProcess = spawn(prometheus, [`--config.file=${file}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  process.once('exit', () => child.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`${url}/-/ready`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`prometheus did not get ready:\n${out}`);
    await sleep(200);
  }
  return {
    url,
    output: () => out,
    query: async (promql) => {
      const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql }).toString()}`);
      const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] } };
      if (body.status !== 'success') throw new Error(`${promql}: ${body.error}`);
      return body.data!.result;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

