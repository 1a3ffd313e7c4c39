import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../compose';
import { repoScrapeConfig } from './prometheusServer';

interface Dashboard {
  time: { from: string; to: string };
  templating: { list: { name: string; allValue?: string }[] };
  panels: { title: string; targets?: { expr?: string }[] }[];
}

export interface PanelQuery {
  readonly panel: string;
  readonly promql: string;
}

const seconds = (duration: string): number => {
  const m = /^(\d+)([smh])$/.exec(duration);
  if (!m) throw new Error(`unsupported duration ${duration}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
};

/**
 * Every panel's PromQL with Grafana's variables as Grafana fills them for the dashboard's default view:
 * variables at their "All" value, `$__range` the default time range (now-6h), `$__rate_interval`
 * four scrape intervals (Grafana's floor for it).
 */
export async function dashboardQueries(): Promise<PanelQuery[]> {
  const dashboard = JSON.parse(await readFile(join(ROOT, 'deploy/grafana/dashboards/ml-pipelines.json'), 'utf8')) as Dashboard;
  const scrape = seconds((await repoScrapeConfig()).global.scrape_interval);
  const range = /^now-(\w+)$/.exec(dashboard.time.from)?.[1] ?? '6h';
  const vars: Record<string, string> = { __range: range, __rate_interval: `${4 * scrape}s` };
  for (const v of dashboard.templating.list) if (v.allValue) vars[v.name] = v.allValue;
  return dashboard.panels.flatMap((p) =>
    (p.targets ?? [])
      .filter((t) => t.expr)
      .map((t) => ({
        panel: p.title,
        promql: t.expr!.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => vars[name] ?? whole),
      })),
  );
}
