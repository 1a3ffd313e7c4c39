import { type DriftSummary, type RetrainOutcome } from '../../contract';
import { driftChart } from './charts/runCharts';
import { type Block } from './document';

const psi = (n: number): string => n.toFixed(4);

/** The drift step's result in the report: verdict, the metric check, what the retraining loop did, the worst scores and where the full list is. */
export function driftBlocks(drift: DriftSummary, retrain?: RetrainOutcome): Block[] {
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: `Drift: ${drift.verdict}` },
    {
      kind: 'list',
      items: [
        `Compared with the training profile of model ${drift.modelName} version ${drift.version}${drift.rows > 0 ? ` over ${drift.rows} rows` : ''}`,
        ...(drift.metric
          ? [
              `${drift.metric.name} = ${drift.metric.value} on the labelled batch (threshold ${drift.metric.threshold}, ${drift.metric.passed ? 'held' : 'crossed'}${drift.metric.training === undefined ? '' : `; ${drift.metric.training} at training`})`,
            ]
          : []),
        ...(retrain ? [retrain.started ? `Retraining started: workflow ${retrain.workflowId} (${retrain.reason})` : `No retraining: ${retrain.reason}`] : []),
        ...(drift.reportUri ? [`Every feature's score: ${drift.reportUri}`] : []),
        ...drift.warnings.map((w) => `Warning: ${w}`),
      ],
    },
  ];
  if (drift.worst.length > 0) {
    blocks.push({
      kind: 'chart',
      title: 'Drift per feature',
      caption: 'Population stability index of each feature against the training profile, worst first.',
      spec: driftChart(drift.worst),
      table: { header: ['feature', 'PSI', 'verdict'], rows: drift.worst.map((s) => [s.feature, psi(s.psi), s.verdict]) },
    });
  }
  return blocks;
}
