import { activityInfo, log } from '@temporalio/activity';
import { runKey, type RunRef, type StepProgress, type TreeRange } from '../contract';
import { type ForestState } from '../ml/models';
import { type ArtifactStore } from '../storage/artifactStore';
import { type ThreadOptions } from './compute/runInThread';
import { type CheckpointPolicy, type ForestCheckpoint } from './compute/tasks/forestCheckpoints';
import { beat } from './heartbeat';
import { type StepReporter } from './progress';

/** A forest checkpoints every 30 s of training when the worker sets nothing else. */
export const DEFAULT_CHECKPOINTS: CheckpointPolicy = { everyTrees: 0, everyMs: 30_000 };

/**
 * Where a training's checkpoint is stored: one for the whole forest, one per shard (its range's
 * trees only). Under the run's `checkpoints`, so they go with its other intermediates.
 */
export function checkpointKey(run: RunRef, range?: TreeRange): string {
  return runKey(run, 'checkpoints', range ? `shard-${range.from}-${range.to}-partial.json` : 'train-forest.json');
}

/** Where a stored checkpoint is and how many trees it holds (a shard's: trees of its range). */
export interface CheckpointRef {
  readonly key: string;
  readonly trees: number;
}

/** What a train attempt heartbeats: its progress, its latest stored checkpoint, and where it resumed. */
export interface TrainHeartbeat extends StepProgress {
  readonly checkpoint?: CheckpointRef;
  readonly resumedFrom?: number;
}

/**
 * A training's checkpoints in the artifact store, referenced from its heartbeat details: the
 * server hands the last details to the next attempt, which resumes from the checkpoint they name.
 */
export class TrainCheckpoints {
  private saving: Promise<void> = Promise.resolve();
  private latestRef?: CheckpointRef;
  private lastProgress: StepProgress = {};
  readonly resumedFrom: number;

  private constructor(
    private readonly store: ArtifactStore,
    private readonly key: string,
    private readonly resumed?: { readonly ref: CheckpointRef; readonly state: ForestState },
  ) {
    this.latestRef = resumed?.ref;
    this.resumedFrom = resumed?.ref.trees ?? 0;
  }

  /**
   * Opens the checkpoints stored at `key` (see `checkpointKey`), loading the one the previous
   * attempt's heartbeat names, else the one `carried` over from an earlier activity of the step, if any.
   */
  static async open(store: ArtifactStore, key: string, carried?: CheckpointRef): Promise<TrainCheckpoints> {
    const previous = (activityInfo().heartbeatDetails as TrainHeartbeat | undefined)?.checkpoint ?? carried;
    if (previous?.key !== key) return new TrainCheckpoints(store, key);
    try {
      const stored = JSON.parse((await store.get(key)).toString('utf8')) as ForestCheckpoint;
      return new TrainCheckpoints(store, key, { ref: previous, state: stored.state });
    } catch (error) {
      // A checkpoint is only a shortcut: without it the forest starts over.
      log.warn('checkpoint not loaded, training from the start', { key, error: String(error) });
      return new TrainCheckpoints(store, key);
    }
  }

  /** The trees to resume from. */
  get resume(): ForestState | undefined {
    return this.resumed?.state;
  }

  /** Heartbeat details for `progress`, naming the latest checkpoint. */
  details(progress: StepProgress): TrainHeartbeat {
    this.lastProgress = progress;
    return { ...progress, checkpoint: this.latestRef, resumedFrom: this.resumedFrom };
  }

  /** What a compute thread's progress and checkpoints go through: heartbeats naming the latest checkpoint, and storage. */
  relay(reporter: StepReporter): Pick<ThreadOptions, 'onProgress' | 'onCheckpoint'> {
    return {
      onProgress: (progress) => reporter.report(progress, this.details(progress)),
      onCheckpoint: (checkpoint) => this.save(checkpoint as ForestCheckpoint),
    };
  }

  /** Stores a checkpoint (one at a time, in order), then heartbeats its reference. */
  save(checkpoint: ForestCheckpoint): Promise<void> {
    this.saving = this.saving.then(async () => {
      try {
        await this.store.put(this.key, JSON.stringify(checkpoint), 'application/json');
        this.latestRef = { key: this.key, trees: checkpoint.trees };
        beat(this.details(this.lastProgress));
      } catch (error) {
        log.warn('checkpoint not stored', { key: this.key, trees: checkpoint.trees, error: String(error) });
      }
    });
    return this.saving;
  }

  /** Waits for the checkpoints still being written. */
  settled(): Promise<void> {
    return this.saving;
  }
}
