import { type PipelineResult, type PipelineStatus, type StepStatus } from '../contract';

const ICON: Record<StepStatus['state'], string> = {
  pending: ' ',
  running: '>',
  completed: '+',
  failed: 'x',
  skipped: '-',
  cancelled: '!',
};

function duration(s: StepStatus): string {
  return s.startedAt && s.endedAt ? `${((Date.parse(s.endedAt) - Date.parse(s.startedAt)) / 1000).toFixed(2)} s` : '';
}

function line(s: StepStatus): string {
  const progress = s.state === 'running' && s.progress?.fraction !== undefined ? ` ${Math.round(s.progress.fraction * 100)}%` : '';
  const attempt = s.attempt > 1 ? ` (attempt ${s.attempt})` : '';
  const detail = s.error ?? s.summary ?? s.progress?.message ?? '';
  return `  [${ICON[s.state]}] ${s.name.padEnd(12)} ${s.state.padEnd(10)}${progress}${attempt} ${duration(s).padStart(8)}  ${detail}`.trimEnd();
}

/** Prints each step the first time it reaches a new state or progress, so a watcher sees the run move. */
export function stepPrinter(write: (text: string) => void = (t) => process.stdout.write(t)) {
  const seen = new Map<string, string>();
  return (status: PipelineStatus): void => {
    for (const s of status.steps) {
      if (s.state === 'pending') continue;
      const text = line(s);
      if (seen.get(s.name) === text) continue;
      seen.set(s.name, text);
      write(`${text}\n`);
    }
  };
}

export function formatResult(result: PipelineResult, reportPath: string): string {
  const lines = [`outcome: ${result.outcome}`];
  for (const [k, v] of Object.entries(result.metrics ?? {})) lines.push(`  ${k.padEnd(16)} ${v.toFixed(4)}`);
  if (result.decision) {
    const d = result.decision;
    lines.push(`decision: ${d.action} (${d.metric} ${d.value.toFixed(4)} vs threshold ${d.threshold}; approval ${d.approval}) - ${d.reason}`);
  }
  if (result.modelVersion) lines.push(`model version: ${result.modelVersion}`);
  if (result.artifacts.predictions) lines.push(`predictions: ${result.artifacts.predictions}`);
  for (const w of result.warnings) lines.push(`warning: ${w}`);
  lines.push(`report: ${reportPath}`);
  return lines.join('\n');
}
