import { createRng, shuffle, type Rng } from './random';
import { type HyperparameterValue, type ParameterSpace, type TrialConfig, type TuningSpec } from './tuning';
import { DEFAULT_GRID_POINTS, DEFAULT_RANDOM_TRIALS } from './tuningLimits';

/**
 * The configurations a search runs, drawn from `tuning.seed` alone: the workflow draws them (so
 * a replay draws the same), and params validation draws them too, to check each against the model.
 */

/** Floats are kept to 6 significant digits: readable in reports, and no config differs from another by noise. */
const tidy = (v: number): number => Number(v.toPrecision(6));

/** The values of one hyperparameter on a grid. */
export function gridValues(space: ParameterSpace): HyperparameterValue[] {
  if (space.type === 'choice') return [...space.values];
  const { low, high, log } = space;
  const points = space.gridPoints ?? DEFAULT_GRID_POINTS;
  const at = (i: number): number => {
    const f = points === 1 ? 0 : i / (points - 1);
    return log ? Math.exp(Math.log(low) + f * (Math.log(high) - Math.log(low))) : low + f * (high - low);
  };
  const values = Array.from({ length: points }, (_, i) => (space.type === 'int' ? Math.round(at(i)) : tidy(at(i))));
  return [...new Set(values)];
}

/** One value drawn from a hyperparameter's space. */
export function drawValue(space: ParameterSpace, rng: Rng): HyperparameterValue {
  if (space.type === 'choice') return space.values[rng.nextInt(space.values.length)];
  const { low, high, log } = space;
  if (space.type === 'int') {
    if (!log) return low + rng.nextInt(high - low + 1);
    // Uniform in log space over [low, high + 1), floored: each integer weighs its share of the log range.
    const v = Math.floor(Math.exp(Math.log(low) + rng.next() * (Math.log(high + 1) - Math.log(low))));
    return Math.min(high, Math.max(low, v));
  }
  return tidy(log ? Math.exp(Math.log(low) + rng.next() * (Math.log(high) - Math.log(low))) : low + rng.next() * (high - low));
}

/** Combinations of a grid over `space` (a huge number rather than an overflow). */
export function gridSize(space: TuningSpec['space']): number {
  return Object.values(space).reduce((n, s) => n * gridValues(s).length, 1);
}

/** Most combinations a random search over choices only enumerates to draw without repeats. */
const MAX_ENUMERATED = 100_000;

function* grid(names: readonly string[], values: readonly HyperparameterValue[][]): Generator<TrialConfig> {
  const index = new Array<number>(names.length).fill(0);
  for (;;) {
    yield Object.fromEntries(names.map((name, d) => [name, values[d][index[d]]]));
    // The last hyperparameter varies fastest, as in scikit-learn's ParameterGrid.
    let d = names.length - 1;
    while (d >= 0 && ++index[d] === values[d].length) index[d--] = 0;
    if (d < 0) return;
  }
}

/** How many configurations the search draws (halving: its first rung's candidates). */
export function plannedTrials(tuning: TuningSpec): number {
  if (tuning.strategy === 'grid') return gridSize(tuning.space);
  const trials = tuning.trials ?? DEFAULT_RANDOM_TRIALS;
  const finite = Object.values(tuning.space).every((s) => s.type === 'choice');
  return finite ? Math.min(trials, gridSize(tuning.space)) : trials;
}

/**
 * The configurations, in trial order. Grid: every combination. Random and halving: `trials` draws; when every
 * hyperparameter is a choice, a seeded shuffle of the grid instead (no configuration twice, and the
 * whole grid when it is smaller than `trials`), as scikit-learn's ParameterSampler.
 */
export function searchConfigurations(tuning: TuningSpec): TrialConfig[] {
  const names = Object.keys(tuning.space);
  const spaces = names.map((n) => tuning.space[n]);
  const size = gridSize(tuning.space);
  if (tuning.strategy === 'grid') return [...grid(names, spaces.map(gridValues))];
  const rng = createRng(tuning.seed);
  const trials = plannedTrials(tuning);
  if (spaces.every((s) => s.type === 'choice') && size <= MAX_ENUMERATED) {
    const all = [...grid(names, spaces.map(gridValues))];
    const order = shuffle(Int32Array.from(all.keys()), rng);
    return Array.from(order.subarray(0, trials), (i) => all[i]);
  }
  return Array.from({ length: trials }, () => Object.fromEntries(names.map((name, d) => [name, drawValue(spaces[d], rng)])));
}

/** The model's hyperparameters with a configuration's values in place (null: the hyperparameter unset). */
export function trialHyperparameters<H extends Readonly<Record<string, unknown>>>(base: H, config: TrialConfig): H {
  const merged: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(config)) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }
  return merged as H;
}
