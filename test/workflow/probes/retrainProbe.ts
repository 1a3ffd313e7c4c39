import { type DriftSpec, type RunRef } from '../../../contract';
import { startRetrain, type RetrainDecision, type RetrainStart } from '../../../workflows/retrain';

export { mlPipeline } from '../../../workflows/mlPipeline';

/** A tiny workflow standing in for mlInference: it starts the retraining a decision asks for, through the guards. */
export async function retrainProbe(decision: Extract<RetrainDecision, { retrain: true }>, spec: DriftSpec, model: string, run: RunRef): Promise<RetrainStart> {
  return startRetrain(decision, spec, model, run);
}
