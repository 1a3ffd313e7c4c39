import { cancellationSignal } from '@temporalio/activity';
import { runKey } from '../contract';
import { trainingProfileKey } from './profileKey';
import { movable } from './compute/protocol';
import { runInThread } from './compute/runInThread';
import { type ActivityDeps } from './deps';
import { runStep } from './failures';
import { StepReporter } from './progress';
import { type PreprocessInput, type PreprocessResult } from './types';

export function createPreprocessActivities(deps: ActivityDeps) {
  /**
   * Splits the rows (seeded, stratified for classifiers), infers the column roles and fits the
   * transforms on the training rows only (in a compute thread), and stores both transformed splits,
   * the fitted transform and the column summary.
   */
  async function preprocess(input: PreprocessInput): Promise<PreprocessResult> {
    return runStep(async () => {
      const reporter = new StepReporter('preprocess', deps.clock, deps.progressIntervalMs);
      const table = movable(await deps.store.get(input.table.key));
      const { train, test, transform, profile, columns, ...summary } = await runInThread(
        'preprocess',
        { table, target: input.target, features: input.features, task: input.task, preprocessing: input.preprocessing, split: input.split, forest: input.forest },
        { transfer: [table.buffer], signal: cancellationSignal(), onProgress: (progress) => reporter.report(progress) },
      );
      // Kept at its fixed key for deploy, not returned: the workflow's commands stay as they were.
      await deps.store.put(trainingProfileKey(input.run), profile, 'application/json');
      return {
        train: await deps.store.put(runKey(input.run, 'preprocessed', 'train.bin'), train),
        test: await deps.store.put(runKey(input.run, 'preprocessed', 'test.bin'), test),
        transform: await deps.store.put(runKey(input.run, 'preprocessed', 'transform.json'), transform, 'application/json'),
        columns: await deps.store.put(runKey(input.run, 'preprocessed', 'columns.json'), JSON.stringify(columns, null, 2), 'application/json'),
        ...summary,
      };
    });
  }

  return { preprocess };
}
