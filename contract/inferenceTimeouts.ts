import { z } from 'zod';
import { stepTimeouts } from './timeouts';

const HOUR = 3600;

/** Per-step activity timeouts of a batch inference run; the shared steps keep the training defaults. */
export const InferenceTimeoutsSchema = z
  .strictObject({
    ingest: stepTimeouts(HOUR, 30, 'ingest: read and parse the batch.'),
    validate: stepTimeouts(HOUR, 30, "validate: check every expectation and the model's features."),
    predict: stepTimeouts(4 * HOUR, 20, 'predict: score the batch and write the predictions (in a compute thread).'),
    evaluate: stepTimeouts(2 * HOUR, 20, 'evaluate: metrics of the model on a labelled batch (in a compute thread).'),
    drift: stepTimeouts(2 * HOUR, 30, 'drift: compare the batch with the training profile (in a compute thread).'),
    alert: stepTimeouts(60, 10, 'alert: send the drift or retrain alert.'),
    report: stepTimeouts(2 * 60, 10, 'report: write Markdown and HTML.'),
    notify: stepTimeouts(60, 10, 'notify: send the run summary.'),
  })
  .describe('Activity timeouts per step of a batch inference run.');

export type InferenceStepTimeouts = z.output<typeof InferenceTimeoutsSchema>;
