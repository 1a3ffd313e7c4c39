import { z } from 'zod';

const HOUR = 3600;

/** One step's limits, in seconds. */
export function stepTimeouts(startToClose: number, heartbeat: number, what: string) {
  const schema = z
    .strictObject({
      startToCloseSeconds: z
        .number()
        .positive()
        .max(7 * 24 * HOUR)
        .default(startToClose)
        .describe('Longest one attempt may run.'),
      heartbeatSeconds: z
        .number()
        .min(1)
        .max(HOUR)
        .default(heartbeat)
        .describe('An attempt whose worker has not heartbeaten for this long is retried elsewhere (workers heartbeat every second).'),
    })
    .refine((t) => t.heartbeatSeconds <= t.startToCloseSeconds, { message: 'heartbeatSeconds cannot exceed startToCloseSeconds', path: ['heartbeatSeconds'] })
    .describe(what);
  return schema.default(schema.parse({}));
}

/**
 * Per-step activity timeouts. Every step heartbeats from its worker every second whatever its
 * work does, so a short heartbeat timeout notices a dead worker in seconds, while the
 * start-to-close limits leave room for hours of training on large data.
 */
export const TimeoutsSchema = z
  .strictObject({
    // Ingest and validate parse and scan the data on the worker's event loop, in slices that can last seconds.
    ingest: stepTimeouts(HOUR, 30, 'ingest: read and parse the dataset.'),
    validate: stepTimeouts(HOUR, 30, 'validate: check every expectation.'),
    preprocess: stepTimeouts(2 * HOUR, 20, 'preprocess: split and fit transforms (in a compute thread).'),
    train: stepTimeouts(12 * HOUR, 20, 'train: fit the model (in a compute thread).'),
    evaluate: stepTimeouts(2 * HOUR, 20, 'evaluate: score the held-out split (in a compute thread).'),
    deploy: stepTimeouts(5 * 60, 10, 'deploy: register and promote the model.'),
    alert: stepTimeouts(60, 10, 'alert: raise a retrain alert.'),
    report: stepTimeouts(2 * 60, 10, 'report: write Markdown and HTML.'),
    notify: stepTimeouts(60, 10, 'notify: send the run summary.'),
  })
  .describe('Activity timeouts per step; defaults fit a multi-hour training of a large forest.');

export type StepTimeouts = z.output<typeof TimeoutsSchema>;
