import diabetes from '../../examples/diabetes.json';
import iris from '../../examples/iris.json';
import { type OpenApiExamples } from '../common/openApiExamples';

/** Ready-to-send schedule bodies around the example run files (see runs/runExamples.ts). */
export const SCHEDULE_EXAMPLES: OpenApiExamples = {
  nightly: { summary: 'iris every night at 02:00 UTC (examples/iris.json)', value: { scheduleId: 'iris-nightly', cron: '0 2 * * *', params: iris } },
  hourly: {
    summary: 'diabetes every hour, created paused (examples/diabetes.json)',
    value: { scheduleId: 'diabetes-hourly', intervalSeconds: 3600, paused: true, note: 'unpause once reviewed', params: diabetes },
  },
};

/** A schema-made backfill has the same time as start and end, which is refused. */
export const BACKFILL_EXAMPLES: OpenApiExamples = {
  week: { summary: 'the first week of 2026', value: { start: '2026-01-01T00:00:00Z', end: '2026-01-08T00:00:00Z' } },
};
