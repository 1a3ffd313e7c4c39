import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { ApiMetrics } from '../../api/ops/apiMetrics';
import { WorkerMetrics } from '../../worker/metrics';
import { RUN_METRIC_NAMES } from '../../workflows/metrics';
import { SDK_METRIC_NAMES } from '../helpers/sdkMetricNames';

const ROOT = resolve(__dirname, '../..');

interface Panel {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
}
interface Dashboard {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; definition?: string }[] };
}

const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy/grafana/dashboards/ml-pipelines.json'), 'utf8')) as Dashboard;
const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

/** Temporal server metrics (not ours, not the SDK's): the task-queue backlog, read from the server in compose. */
const SERVER_METRIC_NAMES = ['approximate_backlog_count'];

/** Keywords, and aggregations that may stand before their `by (...)` clause rather than before `(`. */
const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset']);
const AGGREGATIONS = new Set(['sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile']);

/** The metric names a PromQL expression reads: identifiers that are not functions, keywords, labels or strings. */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '$1');
  const names: string[] = [];
  for (const match of stripped.matchAll(/[$a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = match[0];
    const isCall = /^\s*\(/.test(stripped.slice(match.index + word.length));
    if (!isCall && !PROMQL_WORDS.has(word) && !AGGREGATIONS.has(word) && !word.startsWith('$')) names.push(word);
  }
  return names;
}

/** Every series name an endpoint of ours exposes: histograms also as _bucket, _sum and _count. */
async function exportedNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const registry of [new WorkerMetrics().registry, new ApiMetrics().registry]) {
    for (const metric of await registry.getMetricsAsJSON()) {
      names.add(metric.name);
      if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
    }
  }
  // The workflow's counters, exported by the SDK with `_total` (worker/logging.ts: countersTotalSuffix).
  for (const name of Object.values(RUN_METRIC_NAMES)) names.add(`${name}_total`);
  for (const name of [...SDK_METRIC_NAMES, ...SERVER_METRIC_NAMES]) for (const suffix of ['', '_bucket', '_sum', '_count']) names.add(name + suffix);
  return names;
}

describe('Grafana dashboard deploy/grafana/dashboards/ml-pipelines.json', () => {
  test('the expression parser finds metric names and nothing else', () => {
    assert.deepEqual(
      metricNames('histogram_quantile(0.95, sum by (le, step) (rate(mlp_step_duration_seconds_bucket{outcome="completed",a=~"x|y"}[$__rate_interval])))'),
      ['mlp_step_duration_seconds_bucket'],
    );
    assert.deepEqual(metricNames('a_total and on (instance, pipeline) (b == on (pipeline) group_left max by (pipeline) (b))'), ['a_total', 'b', 'b']);
  });

  test('every query reads only metrics the code exports, the SDK exports (checked by the metrics test) or the Temporal server reports', async () => {
    const known = await exportedNames();
    assert.ok(queries.length >= 10);
    for (const { panel, expr } of queries) {
      const names = metricNames(expr);
      assert.ok(names.length > 0, `${panel}: no metric in ${expr}`);
      for (const name of names) assert.ok(known.has(name), `${panel}: ${name} is exported by nothing we run`);
    }
    for (const variable of dashboard.templating.list.filter((v) => v.definition)) {
      for (const name of metricNames(variable.definition!.replace(/^label_values\((.*),\s*\w+\)$/, '$1'))) assert.ok(known.has(name), `variable ${variable.name}: ${name}`);
    }
  });

  test('has the panels operators need', () => {
    const text = JSON.stringify(queries);
    for (const needle of [
      'mlp_runs_finished_total',
      'histogram_quantile(0.5, sum by (le, step) (rate(mlp_step_duration_seconds_bucket',
      'histogram_quantile(0.95, sum by (le, step) (rate(mlp_step_duration_seconds_bucket',
      'approximate_backlog_count',
      'temporal_activity_schedule_to_start_latency_seconds_bucket',
      'temporal_workflow_task_schedule_to_start_latency_seconds_bucket',
      'temporal_worker_task_slots_used',
      'temporal_worker_task_slots_available',
      'mlp_model_metric',
      'mlp_api_request_duration_seconds_bucket',
      'mlp_rows_ingested_total',
      'mlp_validation_failures_total',
      'mlp_deploy_decisions_total',
    ]) {
      assert.ok(text.includes(needle), `no panel queries ${needle}`);
    }
  });

  test('failed step attempts count only failed outcomes: sensor polls (benign) and cancellations are not failures', async () => {
    const failed = queries.filter((q) => q.panel === 'Failed step attempts');
    assert.equal(failed.length, 1);
    assert.match(failed[0].expr, /mlp_step_duration_seconds_count\{outcome="failed"\}/);
    // The outcomes the worker records (worker/metricsInterceptor.ts), and what the help text names.
    const help = (await new WorkerMetrics().registry.getSingleMetricAsString('mlp_step_duration_seconds')).split('\n')[0];
    for (const outcome of ['completed', 'failed', 'cancelled', 'benign']) assert.ok(help.includes(outcome), help);
  });

  test('every panel uses the data source variable, so the dashboard works with any Prometheus', () => {
    assert.ok(dashboard.templating.list.some((v) => v.name === 'datasource' && v.type === 'datasource'));
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
      assert.equal(panel.datasource?.uid, '${datasource}', panel.title);
      for (const target of panel.targets ?? []) assert.equal(target.datasource?.uid, '${datasource}', panel.title);
    }
  });
});
