import { decodeAnySplit } from '../../../ml/data/binnedCodec';
import { type ClassReport } from '../../../contract';
import { classificationEvaluation } from '../../../ml/evaluation';
import { regressionMetrics } from '../../../ml/metrics';
import { isBinned, loadModel, representativeMatrix } from '../../../ml/models';
import { decodeModelArtifact } from '../../../storage/modelArtifact';
import { type ComputeTask } from '../protocol';

export interface EvaluateTaskInput {
  /** The model artifact's bytes. */
  readonly model: Uint8Array;
  /** The encoded held-out split. */
  readonly test: Uint8Array;
}

export interface EvaluateTaskOutput {
  /** The stored evaluation's JSON: every metric, with the confusion matrix for classifiers. */
  readonly evaluation: string;
  readonly metrics: Record<string, number>;
  /** Classifiers: per-class results and the confusion matrix, bounded in size. */
  readonly classReport?: ClassReport;
}

/** Scores the model on the held-out split. */
export const evaluateTask: ComputeTask<EvaluateTaskInput, EvaluateTaskOutput> = (input, { progress }) => {
  const artifact = decodeModelArtifact(input.model);
  progress({ fraction: 0, message: 'decoding the held-out split' });
  const split = decodeAnySplit(input.test);
  const { targets } = split;
  const x = isBinned(split.x) ? representativeMatrix(split.x) : split.x;
  progress({ fraction: 0.5, message: `scoring ${x.rows} rows` });
  const model = loadModel(artifact.model);
  if (targets.task === 'classification') {
    const scored = classificationEvaluation(model, x, targets);
    const evaluation = { task: targets.task, testRows: x.rows, ...scored.artifact, classReport: scored.classReport };
    return Promise.resolve({ value: { evaluation: JSON.stringify(evaluation, null, 2), metrics: scored.metrics, classReport: scored.classReport } });
  }
  const metrics = { ...regressionMetrics(targets.y, model.predict(x) as Float64Array) };
  const evaluation = { task: targets.task, testRows: x.rows, metrics };
  return Promise.resolve({ value: { evaluation: JSON.stringify(evaluation, null, 2), metrics } });
};
