import { decodeAnySplit } from '../../../ml/data/binnedCodec';
import { classificationMetrics, regressionMetrics } from '../../../ml/metrics';
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
}

/** Scores the model on the held-out split. */
export const evaluateTask: ComputeTask<EvaluateTaskInput, EvaluateTaskOutput> = (input, { progress }) => {
  const artifact = decodeModelArtifact(input.model);
  progress({ fraction: 0, message: 'decoding the held-out split' });
  const split = decodeAnySplit(input.test);
  const { targets } = split;
  const x = isBinned(split.x) ? representativeMatrix(split.x) : split.x;
  progress({ fraction: 0.5, message: `scoring ${x.rows} rows` });
  const predicted = loadModel(artifact.model).predict(x);
  let metrics: Record<string, number>;
  let evaluation: Record<string, unknown>;
  if (targets.task === 'classification') {
    const m = classificationMetrics(targets.y, predicted as Int32Array, targets.classes);
    metrics = { accuracy: m.accuracy, precision_macro: m.precision_macro, recall_macro: m.recall_macro, f1_macro: m.f1_macro };
    evaluation = { task: targets.task, testRows: x.rows, metrics, classes: targets.classes, confusionMatrix: m.confusionMatrix, perClass: m.perClass };
  } else {
    metrics = { ...regressionMetrics(targets.y, predicted as Float64Array) };
    evaluation = { task: targets.task, testRows: x.rows, metrics };
  }
  return Promise.resolve({ value: { evaluation: JSON.stringify(evaluation, null, 2), metrics } });
};
