import { type ArtifactStore } from './adapters/artifactStore';
import { type HttpLimits } from './adapters/httpSource';
import { type Notifier } from './adapters/notifier';

export interface Clock {
  now(): Date;
}

/** Everything activities touch outside their own code, handed in by the worker (or a test). */
export interface ActivityDeps {
  readonly store: ArtifactStore;
  /** Local data sources and markers must resolve inside this folder. */
  readonly dataRoot: string;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly http: HttpLimits;
  /** Least time between two progress signals of one step. */
  readonly progressIntervalMs: number;
}

export const systemClock: Clock = { now: () => new Date() };
