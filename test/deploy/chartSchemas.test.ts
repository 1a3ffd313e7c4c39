import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { render, type K8sObject } from '../helpers/helm';
import { CRD_KINDS, crdProblems, kubeconform, kubernetesSchemas } from '../helpers/kubeSchemas';

// The Kubernetes version helm template renders for (test/helpers/helm.ts) and tools/catalog.ts builds helm against.
const KUBE_VERSION = '1.31.0';

// Every kind the chart can render: the default values, the production values, and the other modes.
const RENDERINGS: Record<string, Parameters<typeof render>[0]> = {
  default: {},
  production: { files: ['values-production.yaml'] },
  'production, hpa mode': { files: ['values-production.yaml'], set: ['autoscaling.mode=hpa'] },
  'default, monitoring and ingress on': { set: ['monitoring.serviceMonitor.enabled=true', 'monitoring.dashboard.enabled=true', 'api.ingress.enabled=true'] },
};

let dir: string;
let schemaLocation: string;
const rendered: Record<string, K8sObject[]> = {};
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlp-kubeconform-'));
  for (const [name, options] of Object.entries(RENDERINGS)) rendered[name] = render(options);
  const kinds = Object.values(rendered).flat().filter((o) => !(CRD_KINDS as readonly string[]).includes(o.kind));
  schemaLocation = await kubernetesSchemas(join(dir, 'schemas'), KUBE_VERSION, kinds);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function validate(name: string, objects: K8sObject[]) {
  const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
  await writeFile(file, objects.map((o) => stringify(o)).join('---\n'));
  return kubeconform(file, schemaLocation, KUBE_VERSION);
}

describe('Helm chart against the Kubernetes API schemas and the CRDs it uses', () => {
  for (const name of Object.keys(RENDERINGS)) {
    test(`${name} values: every built-in object is valid (kubeconform -strict), every ScaledObject and ServiceMonitor valid for its CRD`, async () => {
      const objects = rendered[name];
      const builtIn = objects.filter((o) => !(CRD_KINDS as readonly string[]).includes(o.kind));
      const result = await validate(name, objects);
      assert.deepEqual(result.problems, []);
      assert.equal(result.valid, builtIn.length, 'kubeconform found a schema for every built-in object');
      const crds = objects.filter((o) => (CRD_KINDS as readonly string[]).includes(o.kind));
      assert.deepEqual((await Promise.all(crds.map(crdProblems))).filter(Boolean), []);
    });
  }

  test('both validators can fail: a misspelt Deployment field, a ScaledObject with a non-integer replica count', async () => {
    const objects = structuredClone(rendered.default);
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    (deployment.spec as Record<string, unknown>).replica = 3;
    const result = await validate('broken', [deployment]);
    assert.match(result.problems.join('\n'), /replica/);
    const scaled = structuredClone(rendered.default.find((o) => o.kind === 'ScaledObject')!);
    (scaled.spec as Record<string, unknown>).minReplicaCount = 'one';
    assert.match((await crdProblems(scaled)) ?? '', /minReplicaCount must be integer/);
    const monitor = structuredClone(rendered['default, monitoring and ingress on'].find((o) => o.kind === 'ServiceMonitor')!);
    (monitor.spec as { endpoints: Record<string, unknown>[] }).endpoints[0].interval = 'every minute';
    assert.match((await crdProblems(monitor)) ?? '', /interval must match pattern/);
  });
});
