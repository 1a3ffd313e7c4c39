import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ensureTool } from '../../tools/find';

const run = promisify(execFile);

/** The CRDs the chart renders; kubeconform gets no schema for them (see crdProblems). */
export const CRD_KINDS = ['ScaledObject', 'ServiceMonitor'] as const;

/** The file name kubeconform looks for: `{kind}{-group}-{version}.json`, as kubernetes-json-schema names them. */
function schemaFile(kind: string, apiVersion: string): string {
  const [groupOrVersion, version] = apiVersion.split('/');
  const suffix = version ? `-${groupOrVersion.split('.')[0]}-${version}` : `-${groupOrVersion}`;
  return `${kind.toLowerCase()}${suffix}.json`;
}

/**
 * The Kubernetes API schemas that the kubernetes-validate wheel ships (strict: unknown fields are
 * errors), for the kinds given, copied into `dir` with their shared definitions. The wheel's
 * schemas refer to `/api/_definitions.json`, which its own resolver maps; here it becomes the copy's path.
 */
export async function kubernetesSchemas(dir: string, kubeVersion: string, kinds: readonly { kind: string; apiVersion: string }[]): Promise<string> {
  const wheel = dirname(dirname((await ensureTool('kubernetes-validate')).path));
  const source = join(wheel, 'kubernetes_validate', 'kubernetes-json-schema', `v${kubeVersion}-local-strict`);
  await mkdir(dir, { recursive: true });
  const files = new Set(['_definitions.json', ...kinds.map((k) => schemaFile(k.kind, k.apiVersion))]);
  for (const file of files) {
    const text = await readFile(join(source, file), 'utf8');
    await writeFile(join(dir, file), text.replaceAll('"/api/_definitions.json#', `"file://${join(dir, '_definitions.json')}#`));
  }
  return join(dir, '{{ .ResourceKind }}{{ .KindSuffix }}.json');
}

export interface KubeconformResult {
  readonly valid: number;
  readonly problems: string[];
}

/** kubeconform -strict over one multi-document YAML file; the CRD kinds are skipped (no schema here). */
export async function kubeconform(file: string, schemaLocation: string, kubeVersion: string): Promise<KubeconformResult> {
  const bin = (await ensureTool('kubeconform')).path;
  const args = ['-strict', '-summary', '-output', 'json', '-kubernetes-version', kubeVersion, '-schema-location', schemaLocation, '-skip', CRD_KINDS.join(','), file];
  const { stdout } = await run(bin, args).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  const out = JSON.parse(stdout) as { resources?: { kind: string; name: string; status: string; msg: string }[]; summary: { valid: number } };
  const problems = (out.resources ?? []).filter((r) => r.status !== 'statusValid' && r.status !== 'statusSkipped').map((r) => `${r.kind} ${r.name}: ${r.status} ${r.msg}`);
  return { valid: out.summary.valid, problems };
}

/** Schema violations of a rendered KEDA ScaledObject or ServiceMonitor, by the validators generated from their CRDs. */
export async function crdProblems(object: { kind: string }): Promise<string | undefined> {
  const models = {
    ScaledObject: async () => (await import('@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject')).ScaledObject,
    ServiceMonitor: async () => (await import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor')).ServiceMonitor,
  } as const;
  const load = models[object.kind as (typeof CRD_KINDS)[number]];
  if (!load) throw new Error(`no CRD validator for ${object.kind}`);
  const Model = await load();
  try {
    new Model(object as never).validate();
    return undefined;
  } catch (error) {
    return `${object.kind}: ${(error as Error).message}`;
  }
}
