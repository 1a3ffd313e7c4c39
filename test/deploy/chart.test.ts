import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadApiConfig } from '../../api/config';
import { POOL_NAMES, TASK_QUEUES, type PoolName } from '../../contract';
import { loadWorkerConfig } from '../../worker/config';
import { AWS_SDK_ENV, envKeysRead } from '../helpers/envKeys';
import { CHART, helm, helmBinary, render, ROOT, type K8sObject } from '../helpers/helm';

const WORKER_ENV = envKeysRead(loadWorkerConfig);
const API_ENV = envKeysRead(loadApiConfig);

const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const named = (objects: K8sObject[], kind: string, suffix: string) => {
  const found = ofKind(objects, kind).find((o) => o.metadata.name.endsWith(suffix));
  assert.ok(found, `no ${kind} named *${suffix}`);
  return found;
};
const kinds = (objects: K8sObject[]) => objects.map((o) => o.kind).sort();

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}
interface Container {
  name: string;
  command: string[];
  env: EnvVar[];
  envFrom: { configMapRef: { name: string } }[];
  securityContext: Record<string, unknown> & { capabilities: { drop: string[] } };
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  ports: { name: string; containerPort: number }[];
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
}
const container = (deployment: K8sObject): Container => (deployment.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0];

/** Secret values that must have a shape to parse. */
const SECRET_STAND_INS: Record<string, string> = { PAYLOAD_CODEC_KEYS: `cluster:${Buffer.alloc(32, 1).toString('base64')}` };

/** The environment a container gets: its ConfigMaps, then its literal values (secret refs given a stand-in). */
function containerEnv(objects: K8sObject[], c: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { configMapRef } of c.envFrom ?? []) Object.assign(env, named(objects, 'ConfigMap', configMapRef.name.replace(/^ml-ml-pipelines/, '')).data);
  for (const v of c.env) env[v.name] = v.value ?? SECRET_STAND_INS[v.name] ?? 'secret-value-from-the-cluster';
  return env;
}

const workerDeployments = (objects: K8sObject[]) => ofKind(objects, 'Deployment').filter((d) => d.metadata.labels?.['app.kubernetes.io/component']?.startsWith('worker-'));
const poolOf = (deployment: K8sObject) => deployment.metadata.labels!['app.kubernetes.io/component'].replace('worker-', '') as PoolName;

describe('Helm chart charts/ml-pipelines', () => {
  test('helm is found or installed by tools/', () => {
    assert.match(execFileSync(helmBinary(), ['version', '--short'], { encoding: 'utf8' }), /^v3\./);
  });

  test('helm lint --strict passes for the default and the production values', () => {
    for (const files of [[], ['values-production.yaml']]) {
      const out = helm(['lint', '--strict', CHART, ...files.flatMap((f) => ['-f', join(CHART, f)])]);
      assert.match(out, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    }
  });

  test('default values: the API, both pools autoscaled by KEDA, config, secret, budgets, a test hook', () => {
    const objects = render();
    assert.deepEqual(kinds(objects), [
      'ConfigMap',
      'Deployment',
      'Deployment',
      'Deployment',
      'Pod',
      'PodDisruptionBudget',
      'PodDisruptionBudget',
      'PodDisruptionBudget',
      'ScaledObject',
      'ScaledObject',
      'Secret',
      'Service',
      'Service',
      'Service',
      'ServiceAccount',
    ]);
    const secret = named(objects, 'Secret', '-secrets');
    assert.ok(Buffer.from(secret.data!.API_KEY, 'base64').toString().length >= 16, 'a generated API key');
    const hook = ofKind(objects, 'Pod')[0];
    assert.equal(hook.metadata.annotations?.['helm.sh/hook'], 'test');
    assert.match((hook.spec as { containers: { command: string[] }[] }).containers[0].command.join(' '), /curl .*http:\/\/ml-ml-pipelines-api:80\/healthz/);
  });

  test('every pod runs as non-root with a read-only root filesystem, no privilege escalation and no capabilities', () => {
    for (const objects of [render(), render({ files: ['values-production.yaml'] })]) {
      for (const d of ofKind(objects, 'Deployment')) {
        const pod = (d.spec as { template: { spec: { securityContext: Record<string, unknown> } } }).template.spec;
        assert.equal(pod.securityContext.runAsNonRoot, true, d.metadata.name);
        assert.ok((pod.securityContext.runAsUser as number) > 0, d.metadata.name);
        const c = container(d);
        assert.equal(c.securityContext.runAsNonRoot, true);
        assert.equal(c.securityContext.readOnlyRootFilesystem, true);
        assert.equal(c.securityContext.allowPrivilegeEscalation, false);
        assert.deepEqual(c.securityContext.capabilities.drop, ['ALL']);
        assert.ok(c.resources.requests?.cpu && c.resources.requests.memory && c.resources.limits?.memory, `${d.metadata.name} has resources`);
      }
    }
  });

  test('probes: the API on /healthz and /readyz, workers on their metrics port', () => {
    const objects = render();
    const api = container(named(objects, 'Deployment', '-api'));
    assert.deepEqual(api.command, ['node', 'dist/api/main.js']);
    assert.deepEqual(api.livenessProbe.httpGet, { path: '/healthz', port: 'http' });
    assert.deepEqual(api.readinessProbe.httpGet, { path: '/readyz', port: 'http' });
    assert.equal(api.ports.find((p) => p.name === 'http')?.containerPort, loadApiConfig(containerEnv(objects, api)).port);
    for (const d of workerDeployments(objects)) {
      const c = container(d);
      assert.deepEqual(c.command, ['node', 'dist/worker/main.js']);
      assert.deepEqual(c.livenessProbe.httpGet, { path: '/healthz', port: 'metrics' });
      assert.deepEqual(c.readinessProbe.httpGet, { path: '/readyz', port: 'metrics' });
      const config = loadWorkerConfig(containerEnv(objects, c));
      assert.equal(c.ports.find((p) => p.name === 'metrics')?.containerPort, config.metrics.port);
      assert.equal(c.ports.find((p) => p.name === 'sdk-metrics')?.containerPort, config.metrics.sdkPort);
    }
  });

  test('one Deployment per pool, each running only its pool; every variable set is one its process reads, and it parses', () => {
    for (const objects of [render(), render({ files: ['values-production.yaml'] })]) {
      const workers = workerDeployments(objects);
      assert.deepEqual(workers.map(poolOf).sort(), [...POOL_NAMES].sort());
      for (const d of workers) {
        const env = containerEnv(objects, container(d));
        assert.deepEqual(Object.keys(env).filter((k) => !WORKER_ENV.has(k) && !AWS_SDK_ENV.has(k)), [], `${d.metadata.name} sets unknown variables`);
        const config = loadWorkerConfig(env);
        assert.deepEqual(config.pools, [poolOf(d)]);
        assert.equal(config.artifactStore.kind, 's3', 'pods share no disk: the store is S3');
      }
      const api = container(named(objects, 'Deployment', '-api'));
      const env = containerEnv(objects, api);
      assert.deepEqual(Object.keys(env).filter((k) => !API_ENV.has(k) && !AWS_SDK_ENV.has(k)), [], 'the API sets unknown variables');
      assert.equal(loadApiConfig(env).artifactStore.kind, 's3');
      assert.ok(api.env.some((v) => v.name === 'API_KEY' && v.valueFrom), 'the API key comes from the Secret');
    }
  });

  test('SMTP: the workers get the mail server from values and its password from the Secret, and the config parses', () => {
    const objects = render({ set: ['workers.smtp.host=mail.example.com', 'workers.smtp.user=mlp', 'workers.smtp.from=ml@example.com', 'secrets.smtpPassword=hunter2-hunter2'] });
    const secret = ofKind(objects, 'Secret')[0];
    assert.equal(Buffer.from((secret as unknown as { data: Record<string, string> }).data.SMTP_PASSWORD, 'base64').toString(), 'hunter2-hunter2');
    for (const d of workerDeployments(objects)) {
      const c = container(d);
      assert.ok(c.env.some((v) => v.name === 'SMTP_PASSWORD' && v.valueFrom && v.value === undefined), 'the password comes from the Secret');
      const smtp = loadWorkerConfig(containerEnv(objects, c)).smtp;
      assert.deepEqual(smtp && { host: smtp.host, port: smtp.port, tls: smtp.tls, user: smtp.user, from: smtp.from }, { host: 'mail.example.com', port: 587, tls: 'starttls', user: 'mlp', from: 'ml@example.com' });
    }
    assert.ok(workerDeployments(render()).every((d) => !container(d).env.some((v) => v.name.startsWith('SMTP_'))), 'no SMTP variables by default');
    assert.throws(() => render({ set: ['workers.smtp.host=mail.example.com'] }), /workers\.smtp\.from is required/);
  });

  test('MLflow: the API and every worker get the same server from the ConfigMap and the token from the Secret, and both configs parse them', () => {
    const objects = render({ set: ['mlflow.trackingUri=http://mlflow.mlops:5000', 'mlflow.attempts=2', 'secrets.mlflowTrackingToken=t0ken-t0ken'] });
    const secret = ofKind(objects, 'Secret')[0] as unknown as { data: Record<string, string> };
    assert.equal(Buffer.from(secret.data.MLFLOW_TRACKING_TOKEN, 'base64').toString(), 't0ken-t0ken');
    const api = container(named(objects, 'Deployment', '-api'));
    const expected = { trackingUri: 'http://mlflow.mlops:5000', token: 'secret-value-from-the-cluster', username: undefined, password: undefined, timeoutMs: 10_000, attempts: 2, retryDelayMs: 1_000 };
    assert.deepEqual(loadApiConfig(containerEnv(objects, api)).mlflow, expected);
    for (const c of [api, ...workerDeployments(objects).map(container)]) {
      const v = c.env.find((e) => e.name === 'MLFLOW_TRACKING_TOKEN');
      assert.ok(v?.valueFrom && v.value === undefined, `${c.name}: the token comes from the Secret`);
    }
    for (const d of workerDeployments(objects)) assert.deepEqual(loadWorkerConfig(containerEnv(objects, container(d))).mlflow, expected);
    const plain = render({ set: ['secrets.mlflowTrackingToken=t0ken-t0ken'] });
    assert.ok(!Object.keys(named(plain, 'ConfigMap', '-config').data!).some((k) => k.startsWith('MLFLOW_')), 'no MLflow by default');
    assert.ok(ofKind(plain, 'Deployment').every((d) => !container(d).env.some((e) => e.name.startsWith('MLFLOW_'))), 'no token without a server');
    assert.throws(() => render({ set: ['mlflow.trackingUri=mlflow:5000'] }), /trackingUri/);
  });

  test('payload encryption: the API and every worker get one key ring from the Secret; the UI origin reaches the API', () => {
    const ring = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
    const objects = render({ set: [`secrets.payloadCodecKeys=${ring}`, 'api.codecCorsOrigins={https://temporal.example.com}'] });
    const secret = ofKind(objects, 'Secret')[0] as unknown as { data: Record<string, string> };
    assert.equal(Buffer.from(secret.data.PAYLOAD_CODEC_KEYS, 'base64').toString(), ring);
    const api = container(named(objects, 'Deployment', '-api'));
    for (const c of [api, ...workerDeployments(objects).map(container)]) {
      const v = c.env.find((e) => e.name === 'PAYLOAD_CODEC_KEYS');
      assert.ok(v?.valueFrom && v.value === undefined, `${c.name}: the key ring comes from the Secret`);
    }
    assert.deepEqual(loadApiConfig(containerEnv(objects, api)).codecCorsOrigins, ['https://temporal.example.com']);
    const plain = render();
    assert.ok([...ofKind(plain, 'Deployment')].every((d) => !container(d).env.some((e) => e.name === 'PAYLOAD_CODEC_KEYS')), 'no key ring by default');
    assert.throws(() => render({ set: ['secrets.payloadCodecKeys=k1:short'] }), /payloadCodecKeys/);
  });

  test('KEDA: one ScaledObject per pool, on its task queue, targeting its Deployment; no fixed replicas', () => {
    const objects = render();
    const config = named(objects, 'ConfigMap', '-config').data!;
    for (const d of workerDeployments(objects)) {
      const pool = poolOf(d);
      const scaled = named(objects, 'ScaledObject', `-worker-${pool}`);
      const spec = scaled.spec as { scaleTargetRef: { kind: string; name: string }; minReplicaCount: number; maxReplicaCount: number; triggers: { type: string; metadata: Record<string, string> }[] };
      assert.deepEqual(spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name });
      assert.equal(spec.triggers[0].type, 'temporal');
      assert.equal(spec.triggers[0].metadata.taskQueue, TASK_QUEUES[pool]);
      assert.equal(spec.triggers[0].metadata.endpoint, config.TEMPORAL_ADDRESS);
      assert.equal(spec.triggers[0].metadata.namespace, config.TEMPORAL_NAMESPACE);
      assert.equal(spec.triggers[0].metadata.queueTypes, pool === 'light' ? 'workflow,activity' : 'activity');
      assert.ok(Number(spec.triggers[0].metadata.targetQueueSize) > 0);
      assert.ok(spec.maxReplicaCount >= spec.minReplicaCount);
      assert.equal((d.spec as { replicas?: number }).replicas, undefined, 'the scaler owns the replica count');
    }
    assert.equal(ofKind(objects, 'HorizontalPodAutoscaler').length, 0);
  });

  test('hpa mode: a CPU HorizontalPodAutoscaler per pool (at least one pod) and no ScaledObject', () => {
    const objects = render({ files: ['values-production.yaml'], set: ['autoscaling.mode=hpa'] });
    assert.equal(ofKind(objects, 'ScaledObject').length, 0);
    const hpas = ofKind(objects, 'HorizontalPodAutoscaler');
    assert.equal(hpas.length, 2);
    for (const d of workerDeployments(objects)) {
      const hpa = hpas.find((h) => (h.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name === d.metadata.name);
      assert.ok(hpa, `an HPA targets ${d.metadata.name}`);
      const spec = hpa.spec as { minReplicas: number; metrics: { resource: { name: string } }[] };
      assert.equal(spec.metrics[0].resource.name, 'cpu');
      assert.ok(spec.minReplicas >= 1, 'an HPA cannot scale to zero, even when the values ask for 0');
    }
  });

  test('autoscaling off: each pool runs its fixed replicas, no scaler', () => {
    const objects = render({ set: ['autoscaling.enabled=false'] });
    assert.equal(ofKind(objects, 'ScaledObject').length + ofKind(objects, 'HorizontalPodAutoscaler').length, 0);
    for (const d of workerDeployments(objects)) assert.equal((d.spec as { replicas: number }).replicas, poolOf(d) === 'light' ? 2 : 1);
  });

  test('ServiceMonitor and dashboard only when enabled; they point at real ports and carry the repository dashboard', () => {
    const plain = render();
    assert.equal(ofKind(plain, 'ServiceMonitor').length, 0);
    assert.ok(!plain.some((o) => o.metadata.name.endsWith('-dashboard')));
    const objects = render({ set: ['monitoring.serviceMonitor.enabled=true', 'monitoring.dashboard.enabled=true'] });
    const monitors = ofKind(objects, 'ServiceMonitor');
    assert.equal(monitors.length, 2);
    const services = ofKind(objects, 'Service');
    for (const monitor of monitors) {
      const spec = monitor.spec as { selector: { matchLabels: Record<string, string> }; endpoints: { port: string }[] };
      const selected = services.filter((s) => Object.entries(spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v));
      assert.ok(selected.length > 0, `${monitor.metadata.name} selects a Service`);
      for (const s of selected) {
        const ports = (s.spec as { ports: { name: string }[] }).ports.map((p) => p.name);
        for (const endpoint of spec.endpoints) assert.ok(ports.includes(endpoint.port), `${s.metadata.name} has port ${endpoint.port}`);
      }
    }
    const dashboard = named(objects, 'ConfigMap', '-dashboard');
    assert.equal(dashboard.metadata.labels?.grafana_dashboard, '1');
    const repository = readFileSync(join(ROOT, 'deploy/grafana/dashboards/ml-pipelines.json'), 'utf8');
    assert.equal(readFileSync(join(CHART, 'dashboards/ml-pipelines.json'), 'utf8'), repository, 'the chart carries the same dashboard as deploy/grafana');
    assert.deepEqual(JSON.parse(dashboard.data!['ml-pipelines.json']), JSON.parse(repository));
  });

  test('production values: Ingress with TLS, credentials from an existing Secret, pools on their own nodes', () => {
    const objects = render({ files: ['values-production.yaml'] });
    const ingress = named(objects, 'Ingress', '-api');
    assert.equal((ingress.spec as { tls: { secretName: string }[] }).tls[0].secretName, 'ml-example-com-tls');
    assert.equal(ofKind(objects, 'Secret').length, 0, 'the existing Secret is used, none is created');
    const compute = workerDeployments(objects).find((d) => poolOf(d) === 'compute')!;
    assert.deepEqual((compute.spec as { template: { spec: { nodeSelector: Record<string, string> } } }).template.spec.nodeSelector, { 'node-pool': 'compute' });
    assert.equal(loadApiConfig(containerEnv(objects, container(named(objects, 'Deployment', '-api')))).readRequiresKey, true);
    assert.equal(ofKind(objects, 'ServiceMonitor').length, 2);
  });

  test('values.schema.json refuses bad values', () => {
    for (const bad of ['autoscaling.mode=cron', 'artifacts.root=/data/artifacts', 'workers.logLevel=LOUD', 'api.port=0', 'secrets.apiKey=short']) {
      assert.throws(() => render({ set: [bad] }), /values don't meet the specifications of the schema|schema/, bad);
    }
  });

  test('values.yaml has a comment above every key', () => {
    const lines = readFileSync(join(CHART, 'values.yaml'), 'utf8').split('\n');
    let previous = '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      const key = /^(\s*)[\w.-]+:/.exec(line);
      if (key) {
        const comment = new RegExp(`^${key[1]}#`);
        assert.ok(comment.test(previous), `no comment above "${line.trim()}" (line before: "${previous.trim()}")`);
      }
      previous = line;
    }
  });
});
