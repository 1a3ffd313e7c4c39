import { cancellationSignal } from '@temporalio/activity';
import { runKey } from '../contract';
import { movable } from './compute/protocol';
import { runInThread } from './compute/runInThread';
import { checkpointKey, DEFAULT_CHECKPOINTS, TrainCheckpoints } from './checkpoints';
import { type ActivityDeps } from './deps';
import { runStep } from './failures';
import { StepReporter } from './progress';
import { type MergeForestInput, type TrainResult, type TrainShardInput, type TrainShardResult } from './types';

/**
 * A large forest trained as shards: each `trainShard` grows a range of its trees from the same
 * stored training split, on any worker of the compute pool; `mergeForest` joins them into one model.
 * A shard checkpoints as `train` does (its range's trees), and a retry resumes from its last checkpoint.
 */
export function createShardActivities(deps: ActivityDeps) {
  async function trainShard(input: TrainShardInput): Promise<TrainShardResult> {
    return runStep(async () => {
      const reporter = new StepReporter('train', deps.clock, deps.progressIntervalMs);
      const [split, checkpoints] = await Promise.all([deps.store.get(input.train.key), TrainCheckpoints.open(deps.store, checkpointKey(input.run, input.range), input.resume)]);
      const train = movable(split);
      const { shard, fitSeconds } = await runInThread(
        'trainShard',
        { model: input.model, train, range: input.range, checkpoints: deps.checkpoints ?? DEFAULT_CHECKPOINTS, resume: checkpoints.resume },
        { transfer: [train.buffer], signal: cancellationSignal(), ...checkpoints.relay(reporter) },
      );
      await checkpoints.settled();
      const key = runKey(input.run, 'checkpoints', `shard-${input.range.from}-${input.range.to}.json`);
      return { shard: await deps.store.put(key, shard, 'application/json'), fitSeconds, resumedFrom: checkpoints.resumedFrom };
    });
  }

  async function mergeForest(input: MergeForestInput): Promise<TrainResult> {
    return runStep(async () => {
      const reporter = new StepReporter('train', deps.clock, deps.progressIntervalMs);
      const [transform, ...shards] = await Promise.all([deps.store.get(input.transform.key), ...input.shards.map((s) => deps.store.get(s.key))]);
      const { artifact } = await runInThread(
        'mergeForest',
        { model: input.model, shards: shards.map((s) => s.toString('utf8')), transform: transform.toString('utf8'), target: input.target, trainedAt: deps.clock.now().toISOString() },
        { signal: cancellationSignal(), onProgress: (progress) => reporter.report(progress) },
      );
      const ref = await deps.store.put(runKey(input.run, 'model', 'model.json'), artifact, 'application/json');
      return { model: ref, fitSeconds: 0 };
    });
  }

  return { trainShard, mergeForest };
}
