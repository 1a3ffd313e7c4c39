import { cancellationSignal } from '@temporalio/activity';
import { movable } from './compute/protocol';
import { runInThread } from './compute/runInThread';
import { type ActivityDeps } from './deps';
import { runStep } from './failures';
import { type TuneTrialInput, type TuneTrialResult } from './tuningTypes';

export function createTuningActivities(deps: ActivityDeps) {
  /**
   * One trial of a search, on any worker of the compute pool: k-fold cross-validation of one
   * configuration in a compute thread. It stores nothing: its result (a few numbers) is the
   * activity's result, kept in the run's history, so a completed trial never runs again.
   */
  async function tuneTrial(input: TuneTrialInput): Promise<TuneTrialResult> {
    return runStep(async () => {
      const train = movable(await deps.store.get(input.train.key));
      const { foldScores, mean, std, seconds } = await runInThread(
        'crossValidate',
        { model: input.model, train, folds: input.folds, seed: input.seed, metric: input.metric, rows: input.resource },
        { transfer: [train.buffer], signal: cancellationSignal() },
      );
      const rung = input.rung === undefined ? {} : { rung: input.rung, resource: input.resource };
      return { trial: input.trial, ...rung, config: input.config, foldScores, mean, std, seconds };
    });
  }

  return { tuneTrial };
}
