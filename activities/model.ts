import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { cancellationSignal } from '@temporalio/activity';
import { runKey, taskOf } from '../contract';
import { decodeSplit } from '../ml/data/codec';
import { classificationMetrics, regressionMetrics } from '../ml/metrics';
import { loadModel, trainModel } from '../ml/models';
import { type FittedTransform } from '../ml/preprocess';
import { type ActivityDeps } from './deps';
import { runStep } from './failures';
import { decodeModelArtifact, MODEL_ARTIFACT_FORMAT, type ModelArtifact } from '../storage/modelArtifact';
import { StepReporter } from './progress';
import { type EvaluateInput, type EvaluateResult, type TrainInput, type TrainResult } from './types';

export function createModelActivities(deps: ActivityDeps) {
  /** Fits the model on the training split, heartbeating per unit of work, and stores it with its transform. */
  async function train(input: TrainInput): Promise<TrainResult> {
    return runStep(async () => {
      const reporter = new StepReporter('train', deps.clock, deps.progressIntervalMs);
      await reporter.started();
      const { x, targets } = decodeSplit(await deps.store.get(input.train.key));
      const transform = JSON.parse((await deps.store.get(input.transform.key)).toString('utf8')) as FittedTransform;
      const signal = cancellationSignal();
      const started = process.hrtime.bigint();
      const model = await trainModel(input.model, x, targets, async (done, total) => {
        await reporter.report({ fraction: done / total, message: `${done}/${total}` });
        // Training is CPU-bound: yield so heartbeats go out and a cancellation can arrive.
        await yieldToEventLoop();
        if (signal.aborted) throw signal.reason;
      });
      const fitSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      const artifact: ModelArtifact = {
        format: MODEL_ARTIFACT_FORMAT,
        model: model.serialize(),
        transform,
        target: input.target,
        task: taskOf(input.model.type),
        trainedAt: deps.clock.now().toISOString(),
      };
      const ref = await deps.store.put(runKey(input.run, 'model', 'model.json'), JSON.stringify(artifact), 'application/json');
      return { model: ref, fitSeconds };
    });
  }

  /** Scores the model on the held-out split and stores every metric (with the confusion matrix for classifiers). */
  async function evaluate(input: EvaluateInput): Promise<EvaluateResult> {
    return runStep(async () => {
      const artifact = decodeModelArtifact(await deps.store.get(input.model.key));
      const { x, targets } = decodeSplit(await deps.store.get(input.test.key));
      const predicted = loadModel(artifact.model).predict(x);
      let metrics: EvaluateResult['metrics'];
      let evaluation: Record<string, unknown>;
      if (targets.task === 'classification') {
        const m = classificationMetrics(targets.y, predicted as Int32Array, targets.classes);
        metrics = { accuracy: m.accuracy, precision_macro: m.precision_macro, recall_macro: m.recall_macro, f1_macro: m.f1_macro };
        evaluation = { task: targets.task, testRows: x.rows, metrics, classes: targets.classes, confusionMatrix: m.confusionMatrix, perClass: m.perClass };
      } else {
        metrics = regressionMetrics(targets.y, predicted as Float64Array);
        evaluation = { task: targets.task, testRows: x.rows, metrics: { ...metrics } };
      }
      const ref = await deps.store.put(runKey(input.run, 'evaluation', 'metrics.json'), JSON.stringify(evaluation, null, 2), 'application/json');
      return { evaluation: ref, metrics: { ...metrics } };
    });
  }

  return { train, evaluate };
}
