import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { loadApiConfig } from '../../api/config';
import { POOL_NAMES, SEARCH_ATTRIBUTE_FLAGS } from '../../contract';
import { loadWorkerConfig } from '../../worker/config';
import { commandOf, environment, loadCompose, ROOT } from '../helpers/compose';
import { AWS_SDK_ENV, envKeysRead } from '../helpers/envKeys';

const compose = loadCompose();
const services = compose.services;

const workers = Object.entries(services).filter(([, s]) => commandOf(s).includes('dist/worker/main.js'));
const apis = Object.entries(services).filter(([, s]) => commandOf(s).includes('dist/api/main.js'));

const WORKER_ENV = envKeysRead(loadWorkerConfig);
const API_ENV = envKeysRead(loadApiConfig);

describe('docker-compose.yaml', () => {
  test('has every part of the product', () => {
    assert.deepEqual(Object.keys(services).sort(), [
      'api',
      'grafana',
      'minio',
      'minio-setup',
      'postgresql',
      'prometheus',
      'temporal',
      'temporal-schema',
      'temporal-setup',
      'temporal-ui',
      'worker-compute',
      'worker-light',
    ]);
    for (const [name, s] of Object.entries(services)) assert.ok(s.image ?? s.build, `${name} has an image or a build`);
    for (const [name, s] of Object.entries(services)) if (s.image && !s.build) assert.match(s.image, /:[\w.-]+$/, `${name}: pinned image tag, not latest`);
    assert.ok(!Object.values(services).some((s) => s.image?.endsWith(':latest')));
  });

  test('depends_on names existing services, with conditions that can be met', () => {
    for (const [name, s] of Object.entries(services)) {
      const deps: Record<string, { condition?: string }> = Array.isArray(s.depends_on) ? Object.fromEntries(s.depends_on.map((d) => [d, {}])) : (s.depends_on ?? {});
      for (const [target, { condition = 'service_started' }] of Object.entries(deps)) {
        assert.ok(services[target], `${name} depends on unknown service ${target}`);
        assert.ok(['service_started', 'service_healthy', 'service_completed_successfully'].includes(condition), `${name} -> ${target}: ${condition}`);
        if (condition === 'service_healthy') assert.ok(services[target].healthcheck, `${name} waits for ${target} to be healthy, which has no healthcheck`);
        if (condition === 'service_completed_successfully') assert.equal(services[target].restart, 'no', `${target} is a one-shot job`);
      }
    }
  });

  test('start order: database, schema job, Temporal, setup jobs, then workers and API, then Prometheus and Grafana', () => {
    const waits = (name: string, target: string) => Object.keys(services[name].depends_on ?? {}).includes(target);
    assert.ok(waits('temporal-schema', 'postgresql'));
    assert.ok(waits('temporal', 'temporal-schema'));
    assert.ok(waits('temporal-setup', 'temporal'));
    assert.ok(waits('minio-setup', 'minio'));
    for (const [name] of [...workers, ...apis]) {
      assert.ok(waits(name, 'temporal-setup') && waits(name, 'minio-setup'), `${name} waits for the setup jobs`);
      assert.ok(services[name].healthcheck, `${name} has a healthcheck`);
    }
    assert.ok(waits('prometheus', 'api') && waits('prometheus', 'worker-light') && waits('prometheus', 'worker-compute'));
    assert.ok(waits('grafana', 'prometheus'));
  });

  test('volumes: named ones are declared (and used), bind mounts exist in the repository', () => {
    const declared = new Set(Object.keys(compose.volumes ?? {}));
    const used = new Set<string>();
    for (const [name, s] of Object.entries(services)) {
      for (const volume of s.volumes ?? []) {
        const [source] = volume.split(':');
        if (source.startsWith('.') || source.startsWith('/')) {
          assert.ok(existsSync(join(ROOT, source)), `${name} mounts ${source}, which does not exist`);
        } else {
          assert.ok(declared.has(source), `${name} uses undeclared volume ${source}`);
          used.add(source);
        }
      }
    }
    assert.deepEqual([...declared].sort(), [...used].sort(), 'every declared volume is used');
  });

  test('published host ports are unique; the API publishes the port it listens on', () => {
    const hostPorts = Object.values(services).flatMap((s) => (s.ports ?? []).map((p) => p.split(':').slice(-2, -1)[0]));
    assert.equal(new Set(hostPorts).size, hostPorts.length, `duplicate host ports: ${hostPorts.join(', ')}`);
    for (const [name, s] of apis) assert.ok(s.ports?.some((p) => p.endsWith(`:${environment(s).PORT}`)), `${name} publishes PORT ${environment(s).PORT}`);
  });

  test('both worker pools run, one per service, each probed on its own metrics port', () => {
    const pools = workers.map(([, s]) => loadWorkerConfig(environment(s)).pools);
    assert.deepEqual(pools.flat().sort(), [...POOL_NAMES].sort());
    assert.ok(pools.every((p) => p.length === 1), 'each service runs one pool, so each scales on its own');
    for (const [name, s] of workers) {
      const port = loadWorkerConfig(environment(s)).metrics.port;
      assert.match(JSON.stringify(s.healthcheck?.test), new RegExp(`127\\.0\\.0\\.1:${port}/readyz`), `${name} healthcheck probes its metrics port`);
    }
  });

  for (const [kind, list, known, load] of [
    ['worker', workers, WORKER_ENV, loadWorkerConfig],
    ['api', apis, API_ENV, loadApiConfig],
  ] as const) {
    test(`${kind} services: every variable set is one the ${kind} reads, and the set parses`, () => {
      assert.ok(list.length > 0);
      for (const [name, s] of list) {
        const env = environment(s);
        const unknown = Object.keys(env).filter((k) => !known.has(k) && !AWS_SDK_ENV.has(k));
        assert.deepEqual(unknown, [], `${name} sets variables the ${kind} never reads`);
        for (const required of ['TEMPORAL_ADDRESS', 'ARTIFACT_ROOT', 'AWS_ENDPOINT_URL_S3', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
          assert.ok(env[required], `${name} sets ${required}`);
        }
        assert.doesNotThrow(() => load(env), `${name}: its environment parses`);
      }
    });
  }

  test('workers and API share Temporal and the S3 artifact store (MinIO), with the bucket the setup job creates', () => {
    const roots = [...workers, ...apis].map(([, s]) => loadWorkerConfig({ ...environment(s), WORKER_POOLS: undefined }).artifactStore);
    for (const root of roots) assert.deepEqual(root, { kind: 's3', bucket: 'ml-artifacts', prefix: 'ml-pipelines' });
    assert.match(commandOf(services['minio-setup']), /mc mb --ignore-existing local\/ml-artifacts/);
    const addresses = new Set([...workers, ...apis].map(([, s]) => environment(s).TEMPORAL_ADDRESS));
    assert.deepEqual([...addresses], ['temporal:7233']);
    for (const [, s] of [...workers, ...apis]) assert.equal(new URL(environment(s).AWS_ENDPOINT_URL_S3).host, 'minio:9000');
    assert.equal(environment(services.minio).MINIO_ROOT_USER, environment(services.api).AWS_ACCESS_KEY_ID);
  });

  test('the API has a write key of 16+ characters and links runs to the compose Web UI', () => {
    const config = loadApiConfig(environment(services.api));
    assert.ok((config.apiKey ?? '').length >= 16);
    assert.equal(config.temporal.uiUrl, `http://localhost:${services['temporal-ui'].ports![0].split(':')[0]}`);
  });

  test('Temporal: the server image alone (no deprecated auto-setup), its schema and namespace set up by admin-tools jobs of the same version', () => {
    const version = services.temporal.image!.split(':')[1];
    assert.match(services.temporal.image!, /^temporalio\/server:/);
    for (const job of ['temporal-schema', 'temporal-setup']) assert.equal(services[job].image, `temporalio/admin-tools:${version}`);
    assert.ok(!Object.values(services).some((s) => s.image?.startsWith('temporalio/auto-setup')));
    assert.match(commandOf(services['temporal-schema']), /temporal-sql-tool .*update-schema --schema-name/);
    assert.match(commandOf(services['temporal-setup']), /temporal operator namespace create --namespace default/);
  });

  test('the search attributes the workflow sets are registered by the setup job', () => {
    const script = commandOf(services['temporal-setup']);
    for (const flag of SEARCH_ATTRIBUTE_FLAGS) assert.ok(script.includes(flag), `${flag} registered`);
    assert.match(script, /temporal operator search-attribute create/);
  });

  test('Prometheus scrapes the API, worker and SDK metrics ports and the Temporal server', () => {
    const prometheus = parse(readFileSync(join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8'), { merge: true }) as {
      scrape_configs: { job_name: string; static_configs?: { targets: string[] }[]; dns_sd_configs?: { names: string[]; port: number }[] }[];
    };
    const jobs = Object.fromEntries(prometheus.scrape_configs.map((j) => [j.job_name, j]));
    assert.deepEqual(jobs['ml-api'].static_configs![0].targets, [`api:${environment(services.api).PORT}`]);
    const worker = loadWorkerConfig(environment(services['worker-light']));
    for (const [job, port] of [['ml-workers', worker.metrics.port], ['temporal-sdk', worker.metrics.sdkPort]] as const) {
      const sd = jobs[job].dns_sd_configs![0];
      assert.deepEqual(sd.names.sort(), workers.map(([n]) => n).sort());
      assert.equal(sd.port, port, `${job} scrapes port ${port}`);
    }
    assert.deepEqual(jobs['temporal-server'].static_configs![0].targets, [`temporal:${environment(services.temporal).PROMETHEUS_ENDPOINT.split(':')[1]}`]);
    for (const [name, s] of workers) {
      const env = environment(s);
      assert.equal(env.WORKER_METRICS_PORT, String(worker.metrics.port), `${name} serves metrics where Prometheus looks`);
      assert.equal(env.SDK_METRICS_PORT, String(worker.metrics.sdkPort));
    }
  });

  test('Grafana gets the Prometheus data source and the dashboard provisioned', () => {
    const mounts = services.grafana.volumes ?? [];
    assert.ok(mounts.some((m) => m.startsWith('./deploy/grafana/provisioning:/etc/grafana/provisioning')));
    const dashboards = mounts.find((m) => m.startsWith('./deploy/grafana/dashboards:'))!.split(':')[1];
    const provider = parse(readFileSync(join(ROOT, 'deploy/grafana/provisioning/dashboards/ml-pipelines.yml'), 'utf8')) as { providers: { options: { path: string } }[] };
    assert.equal(provider.providers[0].options.path, dashboards);
    const datasource = parse(readFileSync(join(ROOT, 'deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as { datasources: { url: string }[] };
    assert.equal(datasource.datasources[0].url, 'http://prometheus:9090');
    assert.ok(existsSync(join(ROOT, 'deploy/grafana/dashboards/ml-pipelines.json')));
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  test('multi-stage: build with dev dependencies, run with production dependencies only, as a non-root user', () => {
    assert.ok((dockerfile.match(/^FROM /gm) ?? []).length >= 3, 'build, deps and runtime stages');
    assert.match(dockerfile, /ARG NODE_IMAGE=node:(22|24)[\w.-]*-slim/);
    assert.match(dockerfile, /RUN npm ci --no-audit/);
    assert.match(dockerfile, /RUN npm run build/);
    assert.match(dockerfile, /npm ci --omit=dev/);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    assert.match(runtime, /COPY --from=deps \/app\/node_modules/);
    assert.match(runtime, /^USER node$/m);
    assert.doesNotMatch(runtime, /npm (ci|install)(?! --omit)/, 'nothing installs dev dependencies in the final stage');
  });

  test('the entrypoints and the workflow bundle are what `npm run build` produces', () => {
    const build = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.build;
    assert.match(build, /tsc -p tsconfig\.build\.json/);
    assert.match(build, /worker\/bundle\.ts/);
    assert.match(readFileSync(join(ROOT, 'worker/bundle.ts'), 'utf8'), /'dist\/workflow-bundle\.js'/);
    assert.match(dockerfile, /WORKFLOW_BUNDLE_PATH=\/app\/dist\/workflow-bundle\.js/);
    assert.ok(existsSync(join(ROOT, 'worker/main.ts')) && existsSync(join(ROOT, 'api/main.ts')));
    const buildStage = dockerfile.split(/^FROM /m)[1];
    const copied = [...buildStage.matchAll(/^COPY (\w+) \1$/gm)].map((m) => m[1]);
    const included = (JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] }).include;
    assert.deepEqual(copied.sort(), [...included].sort(), 'the build stage copies every folder tsconfig.build.json compiles');
    for (const [name, s] of [...workers, ...apis]) assert.ok(s.build, `${name} runs the image built from this Dockerfile`);
  });
});
