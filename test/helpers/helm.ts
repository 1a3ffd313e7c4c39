import { execFileSync, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = resolve(__dirname, '../..');
export const CHART = join(ROOT, 'charts/ml-pipelines');

export class HelmUnavailableError extends Error {
  override readonly name = 'HelmUnavailableError';
}

let helmPath: string | undefined;

/**
 * Helm as tools/ finds it (HELM_BIN, PATH, else the .tools build, made once), looked up once per
 * test process. The chart tests call this synchronously, so the lookup (which may build helm, minutes
 * the first time, unless the test runner provisioned it) runs in a child process.
 */
export function helmBinary(): string {
  if (helmPath) return helmPath;
  const provision = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tools/provision.ts'), '--path', 'helm'], { cwd: ROOT, encoding: 'utf8', timeout: 35 * 60_000 });
  if (provision.status !== 0) throw new HelmUnavailableError(`tools/provision.ts could not provide helm (${provision.error?.message ?? `exit ${provision.status ?? provision.signal}`}):\n${provision.stderr}`);
  helmPath = provision.stdout.trim();
  return helmPath;
}

export function helm(args: string[]): string {
  return execFileSync(helmBinary(), args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A Kubernetes object as rendered, loosely typed: tests read the fields they check. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: unknown;
  data?: Record<string, string>;
}

/** `helm template` of the chart with the given values files and --set flags, parsed. */
export function render(options: { files?: string[]; set?: string[] } = {}): K8sObject[] {
  const args = ['template', 'ml', CHART, '--namespace', 'ml', '--kube-version', '1.31.0'];
  for (const file of options.files ?? []) args.push('-f', join(CHART, file));
  for (const value of options.set ?? []) args.push('--set', value);
  return parseAllDocuments(helm(args))
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}
