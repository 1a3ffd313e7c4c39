import { cancellationSignal } from '@temporalio/activity';
import { redactDeep, runKey, type RunRef } from '../contract';
import { runInThread } from './compute/runInThread';
import { type ActivityDeps } from './deps';
import { runStep } from './failures';
import { removeIntermediates } from './intermediates';
import { asWritten, inferenceReportBlocks, reportBlocks, reportTitle, type ReportExtras } from './report/content';
import { type Block } from './report/document';
import { toHtml, toMarkdown } from './report/document';
import { type ReportInput, type ReportResult } from './types';
import { type InferenceReportInput } from './inferenceTypes';
import { recentHistory, tuningTrials } from './report/runContext';
import { TrackingIndex } from '../storage/trackingIndex';

export function createReportActivities(deps: ActivityDeps) {
  async function readJson<T>(key: string): Promise<T | undefined> {
    return (await deps.store.exists(key)) ? (JSON.parse((await deps.store.get(key)).toString('utf8')) as T) : undefined;
  }

  async function extras(run: RunRef, given: Pick<ReportExtras, 'history' | 'tuning'> = {}): Promise<ReportExtras> {
    const [validation, evaluation, columns] = await Promise.all([
      readJson<ReportExtras['validation']>(runKey(run, 'validation', 'report.json')),
      readJson<ReportExtras['evaluation']>(runKey(run, 'evaluation', 'metrics.json')),
      readJson<ReportExtras['columns']>(runKey(run, 'preprocessed', 'columns.json')),
    ]);
    return { validation, evaluation, columns, ...given };
  }

  /**
   * Writes the run's Markdown and HTML report from its status and its own artifacts. The last step
   * of every run, however it ended: it also removes the run's large intermediates unless the run
   * asked to keep them.
   */
  async function report(input: ReportInput): Promise<ReportResult> {
    return runStep(async () => {
      const status = asWritten(input.status, deps.clock.now());
      const [history, read] = await Promise.all([input.history ?? recentHistory(new TrackingIndex(deps.store), input.run, input.params), extras(input.run)]);
      const tuning = input.tuning ?? tuningTrials(input.status);
      const blocks = reportBlocks(input.run, status, input.params, { ...read, history, tuning });
      const written = await write(input.run, reportTitle(status), blocks);
      if (!input.params.keepIntermediates) await removeIntermediates(deps.store, input.run);
      return written;
    });
  }

  async function write(run: RunRef, title: string, unredacted: Block[]): Promise<ReportResult> {
    // The report is an open read: no URL in it keeps its credentials.
    const blocks = await rendered(redactDeep(unredacted));
    const markdown = await deps.store.put(runKey(run, 'report', 'report.md'), toMarkdown(blocks), 'text/markdown');
    const html = await deps.store.put(runKey(run, 'report', 'report.html'), toHtml(title, blocks), 'text/html');
    return { markdown, html };
  }

  /** The blocks with each chart's SVG, rendered in a compute thread (layout is CPU work). */
  async function rendered(blocks: Block[]): Promise<Block[]> {
    const charts = blocks.flatMap((b) => (b.kind === 'chart' ? [b.spec] : []));
    if (charts.length === 0) return blocks;
    const { svgs } = await runInThread('renderCharts', { specs: charts }, { signal: cancellationSignal() });
    let next = 0;
    return blocks.map((b) => (b.kind === 'chart' ? { ...b, svg: svgs[next++] } : b));
  }

  /** The report of a batch inference run: the same sections, about the model version and the batch it scored. */
  async function reportInference(input: InferenceReportInput): Promise<ReportResult> {
    return runStep(async () => {
      const status = asWritten(input.status, deps.clock.now());
      return write(input.run, reportTitle(status), inferenceReportBlocks(input.run, status, input.params, await extras(input.run)));
    });
  }

  return { report, reportInference };
}
