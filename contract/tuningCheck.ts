import { type z } from 'zod';
import { MAX_TRIALS, type ParameterSpace, type TuningSpec } from './tuning';
import { gridSize, searchConfigurations, trialHyperparameters } from './tuningSpace';

/** Hyperparameters a search cannot vary, and why. */
const FIXED: Readonly<Record<string, string>> = {
  maxBins: 'maxBins sets how preprocess bins the training split, which every trial shares; set it in model.hyperparameters',
  seed: 'the seed is not a hyperparameter to optimise; set it in model.hyperparameters',
  shards: 'shards changes how a forest is trained, not the forest; set it in model.hyperparameters',
};

/** What checkTuning needs to know of the run's model. */
export interface TunedModel {
  readonly type: string;
  readonly hyperparameters: Readonly<Record<string, unknown>>;
  /** The model type's hyperparameter schema (with its cross-field rules). */
  readonly schema: z.ZodObject;
  /** The metrics of the model's task. */
  readonly metrics: readonly string[];
}

type Issue = (path: readonly (string | number)[], message: string) => void;

const firstMessage = (error: z.ZodError): string => error.issues[0]?.message ?? 'invalid value';

/** Whether `field` takes a value strictly between two of the range, i.e. non-integers? */
function takesFractions(field: z.ZodType, low: number, high: number): boolean {
  // An irrational share of the range: a fraction whatever the bounds.
  return low === high || field.safeParse(low + (high - low) / Math.PI).success;
}

/** Issues of one hyperparameter's space; false when it has any (or its range is broken). */
function checkSpace(name: string, space: ParameterSpace, field: z.ZodType, issue: Issue): boolean {
  let ok = true;
  const report: Issue = (path, message) => {
    ok = false;
    issue(path, message);
  };
  if (space.type === 'choice') {
    space.values.forEach((value, i) => {
      if (value === null) {
        const unset = field.safeParse(undefined);
        if (!unset.success || unset.data !== undefined) report([name, 'values', i], `null leaves a hyperparameter unset, and ${name} always has a value`);
        return;
      }
      const parsed = field.safeParse(value);
      if (!parsed.success) report([name, 'values', i], `${JSON.stringify(value)} is not a valid ${name}: ${firstMessage(parsed.error)}`);
    });
    return ok;
  }
  // Reported by the range's own schema; nothing can be drawn from it.
  if (space.low > space.high || (space.log && space.low <= 0)) return false;
  for (const side of ['low', 'high'] as const) {
    const parsed = field.safeParse(space[side]);
    if (!parsed.success) report([name, side], `${space[side]} is not a valid ${name}: ${firstMessage(parsed.error)}`);
  }
  if (ok && space.type === 'float' && !takesFractions(field, space.low, space.high)) report([name, 'type'], `${name} takes integers: use "type": "int"`);
  return ok;
}

/**
 * Issues of `tuning` for the run's model, each at its field under `tuning`: an unknown or fixed
 * hyperparameter, a value or bound its schema refuses, a metric of another task, a grid too big,
 * and last a drawn configuration the model's cross-field rules refuse (e.g. maxSamples without bootstrap).
 */
export function checkTuning(tuning: TuningSpec, model: TunedModel, ctx: z.RefinementCtx): void {
  let count = 0;
  const issue: Issue = (path, message) => {
    count++;
    ctx.addIssue({ code: 'custom', path: ['tuning', ...path], message });
  };
  if (tuning.metric !== undefined && !model.metrics.includes(tuning.metric)) {
    issue(['metric'], `unknown metric ${JSON.stringify(tuning.metric)} for ${model.type}; use one of ${model.metrics.join(', ')}`);
  }
  if (tuning.strategy === 'grid' && tuning.trials !== undefined) {
    issue(['trials'], `a grid runs each of its ${gridSize(tuning.space)} combinations; trials applies to random search`);
  }
  for (const field of ['eta', 'minResource'] as const) {
    if (tuning.strategy !== 'halving' && tuning[field] !== undefined) issue([field], `${field} applies to successive halving (strategy "halving"), not to ${tuning.strategy} search`);
  }
  // Below 2 or not an integer: already refused by the field's own schema.
  const minResource = tuning.minResource;
  if (minResource !== undefined && Number.isInteger(minResource) && minResource >= 2 && minResource < 2 * tuning.folds) {
    issue(['minResource'], `minResource ${minResource} leaves fewer than 2 rows per fold of ${tuning.folds}: use at least ${2 * tuning.folds}`);
  }
  const shape = model.schema.shape as Record<string, z.ZodType>;
  for (const [name, space] of Object.entries(tuning.space)) {
    const field = Object.hasOwn(shape, name) ? shape[name] : undefined;
    if (!field) issue(['space', name], `${model.type} has no hyperparameter ${JSON.stringify(name)}; its hyperparameters: ${Object.keys(shape).join(', ')}`);
    else if (Object.hasOwn(FIXED, name)) issue(['space', name], FIXED[name]);
    else if (!checkSpace(name, space, field, (path, message) => issue(['space', ...path], message))) count++;
  }
  if (tuning.strategy === 'grid' && gridSize(tuning.space) > MAX_TRIALS) {
    issue(['space'], `the grid has ${gridSize(tuning.space)} combinations, more than the ${MAX_TRIALS} a search runs; use fewer values or random search`);
  }
  if (count > 0) return;
  // Each value is valid alone; a combination may still break a rule across fields. The first one is enough to fix.
  const configs = searchConfigurations(tuning);
  for (const [trial, config] of configs.entries()) {
    const parsed = model.schema.safeParse(trialHyperparameters(model.hyperparameters, config));
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const field = first?.path[0];
      issue(['space', ...(typeof field === 'string' && Object.hasOwn(tuning.space, field) ? [field] : [])], `configuration ${trial} (${JSON.stringify(config)}): ${first?.message ?? 'invalid'}`);
      return;
    }
  }
}
