import { type StepName } from './status';

/** The activity types whose step name differs from the type: the sensor's two modes, the run summary, a forest's shards, a search's trials, the production comparison and a candidate's registration. */
const STEP_OF: Readonly<Record<string, StepName | 'notify'>> = {
  waitForDataPoke: 'waitForData',
  checkDataReady: 'waitForData',
  notifyRunFinished: 'notify',
  trainShard: 'train',
  mergeForest: 'train',
  compareWithProduction: 'compare',
  registerCandidate: 'register',
  tuneTrial: 'tune',
};

/**
 * The pipeline step an activity type belongs to, as the `status` query names it; `notify` (the
 * run summary) is not a step of its own. Unknown types keep their name, so a new activity is still
 * labelled rather than dropped.
 */
export function stepOfActivity(activityType: string): string {
  return STEP_OF[activityType] ?? activityType;
}
