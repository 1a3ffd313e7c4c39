import { type PipelineParams, type PipelineStatus, type RunFacts, type RunRef } from '../contract';

export interface TrackRunInput {
  readonly run: RunRef;
  readonly params: PipelineParams;
  /** The concluded status: outcome, steps with their times, metrics, decision, artifacts, warnings. */
  readonly status: PipelineStatus;
  readonly facts: RunFacts;
  /** ISO times of the workflow clock: the run's start, and now. */
  readonly startedAt: string;
  readonly endedAt: string;
}

export interface TrackRunResult {
  /** Where the tracking record is. */
  readonly uri: string;
  /** What did not work out (MLflow unreachable): warnings for the run's status. */
  readonly warnings: string[];
}
