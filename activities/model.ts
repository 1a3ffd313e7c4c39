import { cancellationSignal } from '@temporalio/activity';
import { runKey } from '../contract';
import { movable } from './compute/protocol';
import { evaluatesInline, trainsInline } from './compute/inline';
import { runCompute } from './compute/runCompute';
import { checkpointKey, DEFAULT_CHECKPOINTS, TrainCheckpoints } from './checkpoints';
import { type ActivityDeps } from './deps';
import { runStep } from './failures';
import { StepReporter } from './progress';
import { type EvaluateInput, type EvaluateResult, type TrainInput, type TrainResult } from './types';

export function createModelActivities(deps: ActivityDeps) {
  /**
   * Fits the model on the training split in a compute thread, relaying its progress, and stores it
   * with its transform. A forest checkpoints as it grows and a retry resumes from the last checkpoint.
   */
  async function train(input: TrainInput): Promise<TrainResult> {
    return runStep(async () => {
      const reporter = new StepReporter('train', deps.clock, deps.progressIntervalMs);
      const [split, transform, checkpoints] = await Promise.all([
        deps.store.get(input.train.key),
        deps.store.get(input.transform.key),
        TrainCheckpoints.open(deps.store, checkpointKey(input.run), input.resume),
      ]);
      const trainBytes = movable(split);
      const { artifact, fitSeconds } = await runCompute(
        'train',
        {
          model: input.model,
          train: trainBytes,
          transform: transform.toString('utf8'),
          target: input.target,
          trainedAt: deps.clock.now().toISOString(),
          checkpoints: deps.checkpoints ?? DEFAULT_CHECKPOINTS,
          resume: checkpoints.resume,
        },
        { inline: trainsInline(input.model, trainBytes.byteLength), transfer: [trainBytes.buffer], signal: cancellationSignal(), ...checkpoints.relay(reporter) },
      );
      await checkpoints.settled();
      const ref = await deps.store.put(runKey(input.run, 'model', 'model.json'), artifact, 'application/json');
      return { model: ref, fitSeconds };
    });
  }

  /**
   * Scores the model on the held-out split in a compute thread and stores every metric (with the
   * per-class results for classifiers), the report's curves or scatter sample, and the feature importances.
   */
  async function evaluate(input: EvaluateInput): Promise<EvaluateResult> {
    return runStep(async () => {
      const reporter = new StepReporter('evaluate', deps.clock, deps.progressIntervalMs);
      const [model, test] = await Promise.all([deps.store.get(input.model.key), deps.store.get(input.test.key)]);
      const testBytes = movable(test);
      const { evaluation, metrics, classReport, featureImportances } = await runCompute(
        'evaluate',
        { model, test: testBytes },
        {
          inline: evaluatesInline(model.byteLength, testBytes.byteLength),
          transfer: [testBytes.buffer],
          signal: cancellationSignal(),
          onProgress: (progress) => reporter.report(progress),
        },
      );
      const ref = await deps.store.put(runKey(input.run, 'evaluation', 'metrics.json'), evaluation, 'application/json');
      return { evaluation: ref, metrics, ...(classReport && { classReport }), ...(featureImportances && { featureImportances }) };
    });
  }

  return { train, evaluate };
}
