import { type ComputeTask } from '../protocol';
import { checkBatchTask } from './checkBatch';
import { compareTask } from './compare';
import { crossValidateTask } from './crossValidate';
import { driftTask } from './drift';
import { evaluateTask } from './evaluate';
import { evaluateBatchTask } from './evaluateBatch';
import { ingestTask } from './ingest';
import { predictTask } from './predict';
import { preprocessTask } from './preprocess';
import { mergeForestTask } from './mergeForest';
import { renderChartsTask } from './renderCharts';
import { trainTask } from './train';
import { trainShardTask } from './trainShard';
import { validateTask } from './validate';

/** Every task a compute thread can run, by the name the activity asks for. */
export const COMPUTE_TASKS = {
  ingest: ingestTask,
  validate: validateTask,
  preprocess: preprocessTask,
  train: trainTask,
  evaluate: evaluateTask,
  trainShard: trainShardTask,
  mergeForest: mergeForestTask,
  predict: predictTask,
  evaluateBatch: evaluateBatchTask,
  drift: driftTask,
  renderCharts: renderChartsTask,
  compare: compareTask,
  crossValidate: crossValidateTask,
  checkBatch: checkBatchTask,
} satisfies Record<string, ComputeTask<never, unknown>>;

export type ComputeTaskName = keyof typeof COMPUTE_TASKS;
export type TaskInput<N extends ComputeTaskName> = Parameters<(typeof COMPUTE_TASKS)[N]>[0];
export type TaskOutput<N extends ComputeTaskName> = Awaited<ReturnType<(typeof COMPUTE_TASKS)[N]>>['value'];
