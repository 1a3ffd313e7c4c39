/**
 * A running run's view is its workflow's `status` query, answered by a worker as a workflow task:
 * at 200 polls a second that is 200 tasks taking the worker's slots from the runs themselves. Kept
 * half a second, a run's progress shows a step's end at most that late, while any number of pollers
 * cost the worker at most four queries a second per run.
 */
export const DEFAULT_RUNNING_VIEW_MAX_AGE_MS = 500;
/**
 * A closed run never changes; asked by workflow id, the describe is only to see whether a new run
 * took the id since (a rerun started by another process: this API's own start drops the view).
 */
export const DEFAULT_CLOSED_VIEW_MAX_AGE_MS = 1_000;
