import { cancellationSignal } from '@temporalio/activity';
import { runKey } from '../contract';
import { ModelRegistry } from '../storage/modelRegistry';
import { movable } from './compute/protocol';
import { runInThread } from './compute/runInThread';
import { type ActivityDeps } from './deps';
import { runStep } from './failures';
import { StepReporter } from './progress';
import { type CompareInput, type CompareResult } from './types';

export function createCompareActivities(deps: ActivityDeps) {
  const registry = new ModelRegistry(deps.store);

  /**
   * Scores the run's model and the production version on the run's held-out rows, in a compute
   * thread, and stores both scores. Without a production version there is nothing to beat.
   */
  async function compareWithProduction(input: CompareInput): Promise<CompareResult> {
    return runStep(async () => {
      const pointer = await registry.production(input.modelName);
      if (pointer === undefined) return { note: `model ${input.modelName} has no production version yet` };
      const reporter = new StepReporter('compare', deps.clock, deps.progressIntervalMs);
      const [table, candidate, production] = await Promise.all([
        deps.store.get(input.table.key),
        deps.store.get(input.model.key),
        registry.getModel(input.modelName, pointer.version),
      ]);
      const bytes = { table: movable(table), candidate: movable(candidate), production: movable(production) };
      const out = await runInThread(
        'compare',
        { ...bytes, target: input.target, task: input.task, split: input.split },
        { transfer: Object.values(bytes).map((b) => b.buffer), signal: cancellationSignal(), onProgress: (progress) => reporter.report(progress) },
      );
      const note = out.problem === undefined ? undefined : `production version ${pointer.version} cannot score this run's rows: ${out.problem}`;
      const result = { productionVersion: pointer.version, rows: out.rows, candidate: out.candidate, ...(out.production && { production: out.production }), ...(note && { note }) };
      const comparison = await deps.store.put(runKey(input.run, 'evaluation', 'comparison.json'), JSON.stringify(result, null, 2), 'application/json');
      return { ...result, comparison };
    });
  }

  return { compareWithProduction };
}
