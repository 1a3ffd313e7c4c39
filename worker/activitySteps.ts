import { type StepName } from '../contract';
import { type PipelineActivities } from '../activities';

/** The activity types whose step name differs from the type: the sensor's two modes and the run summary. */
const STEP_OF: Partial<Record<keyof PipelineActivities, StepName | 'notify'>> = {
  waitForDataPoke: 'waitForData',
  checkDataReady: 'waitForData',
  notifyRunFinished: 'notify',
};

/**
 * The pipeline step an activity type belongs to, as the `status` query names it; `notify` (the
 * run summary) is not a step of its own. Unknown types keep their name, so a new activity is still
 * labelled rather than dropped.
 */
export function stepOfActivity(activityType: string): string {
  return STEP_OF[activityType as keyof PipelineActivities] ?? activityType;
}
