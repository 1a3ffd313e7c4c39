import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = resolve(__dirname, '../..');
export const CHART = join(ROOT, 'charts/ml-pipelines');

/** Helm from .ci/install-helm.sh (the project's cache), else HELM_BIN, else PATH. */
export function helmBinary(): string {
  const cached = join(ROOT, '.tools/bin/helm');
  if (existsSync(cached)) return cached;
  if (process.env.HELM_BIN) return process.env.HELM_BIN;
  try {
    execFileSync('helm', ['version', '--short'], { stdio: 'ignore' });
    return 'helm';
  } catch {
    throw new Error('helm not found: run `bash .ci/install-helm.sh` (CI does) or set HELM_BIN');
  }
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
