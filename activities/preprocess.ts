import { cancellationSignal } from '@temporalio/activity';
import { runKey } from '../contract';
import { trainingProfileKey } from './profileKey';
import { movable } from './compute/protocol';
import { INLINE_MAX_TABLE_BYTES } from './compute/inline';
import { runCompute } from './compute/runCompute';
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
      const { train, test, transform, profile, columns, ...summary } = await runCompute(
        'preprocess',
        { table, target: input.target, features: input.features, task: input.task, preprocessing: input.preprocessing, split: input.split, forest: input.forest },
        {
          inline: table.byteLength <= INLINE_MAX_TABLE_BYTES,
          transfer: [table.buffer],
          signal: cancellationSignal(),
          onProgress: (progress) => reporter.report(progress),
        },
      );
      // Side by side: on small data these writes are most of the step. The profile is kept at its
      // fixed key for deploy, not returned: the workflow's commands stay as they were.
      const [trainRef, testRef, transformRef, columnsRef] = await Promise.all([
        deps.store.put(runKey(input.run, 'preprocessed', 'train.bin'), train),
        deps.store.put(runKey(input.run, 'preprocessed', 'test.bin'), test),
        deps.store.put(runKey(input.run, 'preprocessed', 'transform.json'), transform, 'application/json'),
        deps.store.put(runKey(input.run, 'preprocessed', 'columns.json'), JSON.stringify(columns, null, 2), 'application/json'),
        deps.store.put(trainingProfileKey(input.run), profile, 'application/json'),
      ]);
      return { train: trainRef, test: testRef, transform: transformRef, columns: columnsRef, ...summary };
    });
  }

  return { preprocess };
}
