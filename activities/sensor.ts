import { activityInfo, cancellationSignal, sleep } from '@temporalio/activity';
import { FAILURE_TYPES } from '../contract';
import { DEFAULT_MARKER_HOST_INTERVAL_MS, HostRateLimit } from './adapters/hostRateLimit';
import { isHttpUrl } from './adapters/httpSource';
import { markerReady } from './adapters/sources';
import { ParamValue, usingSecrets } from './adapters/secrets';
import { type ActivityDeps } from './deps';
import { beat } from './heartbeat';
import { runStep, stepFailure } from './failures';
import { type SensorInput, type SensorResult } from './types';

/** What a poking sensor remembers across worker crashes, as heartbeat details. */
interface PokeState {
  readonly firstCheckAt: number;
  readonly checks: number;
}

/** Heartbeat at least this often while waiting, whatever the poke interval, so a dead worker is noticed. */
const MAX_QUIET_MS = 5_000;

export function createSensorActivities(deps: ActivityDeps) {
  // One per worker (the factory runs once per worker), shared by every run's sensor.
  const hosts = new HostRateLimit(deps.markerHostIntervalMs ?? DEFAULT_MARKER_HOST_INTERVAL_MS, deps.clock);

  /** A local file (inside the data root), an http(s) URL or an s3:// object; with newerThan, only one written after it counts. */
  async function markerExists(input: SensorInput): Promise<boolean> {
    // Resolved at each check, so a rotated secret is used from the next one; its value never shows in a message.
    const marker = await ParamValue.location(input.marker, deps.secrets);
    return usingSecrets([marker], async () => {
      // The URL was validated with the params (or as a secret's value); the steady heartbeat (keepAlive) runs while this waits.
      if (isHttpUrl(marker.value)) {
        const wait = hosts.reserve(new URL(marker.value).host);
        if (wait > 0) await sleep(wait);
      }
      return markerReady(marker.value, { ...deps, signal: cancellationSignal() }, input.newerThan === undefined ? undefined : new Date(input.newerThan));
    });
  }

  const describeMarker = (input: SensorInput): string => (input.newerThan === undefined ? `marker ${input.marker}` : `marker ${input.marker} newer than ${input.newerThan}`);

  /** Poke mode: one attempt checks, heartbeats and sleeps until the marker appears or time runs out. */
  async function waitForDataPoke(input: SensorInput): Promise<SensorResult> {
    return runStep(async () => {
      const resumed = activityInfo().heartbeatDetails as PokeState | undefined;
      let state: PokeState = resumed ?? { firstCheckAt: deps.clock.now().getTime(), checks: 0 };
      const deadline = state.firstCheckAt + input.timeoutSeconds * 1000;
      for (;;) {
        state = { firstCheckAt: state.firstCheckAt, checks: state.checks + 1 };
        beat(state);
        const now = deps.clock.now().getTime();
        if (await markerExists(input)) {
          return { found: true, checks: state.checks, waitedSeconds: (now - state.firstCheckAt) / 1000 };
        }
        if (now >= deadline) {
          throw stepFailure(FAILURE_TYPES.SensorTimeout, `${describeMarker(input)} did not appear within ${input.timeoutSeconds} s (${state.checks} checks)`);
        }
        let wait = Math.min(input.pokeIntervalSeconds * 1000, deadline - now);
        while (wait > 0) {
          const chunk = Math.min(wait, MAX_QUIET_MS);
          await sleep(chunk);
          beat(state);
          wait -= chunk;
        }
      }
    });
  }

  /**
   * Reschedule mode: one check per attempt. Not ready is a retryable failure, so the retry policy
   * is the poll interval and no worker slot is held between checks; the failure is benign, so a
   * poll is neither a warning nor a failure in the SDK's metrics and ours.
   */
  async function checkDataReady(input: SensorInput): Promise<SensorResult> {
    return runStep(async () => {
      const info = activityInfo();
      const waitedSeconds = (deps.clock.now().getTime() - info.scheduledTimestampMs) / 1000;
      if (await markerExists(input)) return { found: true, checks: info.attempt, waitedSeconds };
      throw stepFailure(FAILURE_TYPES.DataNotReady, `${describeMarker(input)} not there yet (check ${info.attempt})`);
    });
  }

  return { waitForDataPoke, checkDataReady };
}
