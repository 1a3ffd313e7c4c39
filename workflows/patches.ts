import { patched } from '@temporalio/workflow';

/**
 * A run that records this one marker, in its first workflow task before any local activity, takes
 * every patch older than it as well, without a marker of its own. Two reasons:
 * - each marker also upserts TemporalChangeVersion: two history events per patch the run passes;
 * - a patch first decided right after a local activity's result cannot be replayed when a query
 *   split that workflow task in two (the local activity's marker in the first, the patch's in the
 *   next): the replay asks before the history has shown the marker, and fails as nondeterministic.
 * A patch added later is decided the same way: patched() at the start of the run, before its first
 * local activity, its answer kept for the call site (test/integration/splitTaskReplay.test.ts shows the split).
 * Such a run also holds back search attributes no one can see change yet (see RunState).
 */
export const LEAN_HISTORY = 'lean-history';

/**
 * patched(id) for a patch older than LEAN_HISTORY. Histories recorded before LEAN_HISTORY have no
 * such marker and replay each patch's own, as they were recorded.
 */
export function established(id: string): boolean {
  return patched(LEAN_HISTORY) || patched(id);
}
