import { runKey, type RunRef } from '../contract';

/**
 * Where preprocess leaves the training rows' profile for deploy to register with the version. A
 * fixed key rather than a ref in the step results, so mlPipeline's commands are unchanged; a run
 * recorded before profiles existed simply has none here.
 */
export function trainingProfileKey(run: RunRef): string {
  return runKey(run, 'preprocessed', 'profile.json');
}
