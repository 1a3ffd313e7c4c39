import { type SearchAttributePair } from '@temporalio/common';
import { type InferenceParams } from './inferenceParams';
import { deployGates } from './gates';
import { type PipelineParams } from './params';
import { redactText } from './redact';
import { SEARCH_ATTRIBUTES, type RunKind } from './searchAttributes';

/**
 * The memo of a run: the API's run views and artifact links read `pipeline` and `model` from it.
 * The Web UI lists it to anyone who can see the namespace: the dataset URL in it is redacted.
 */
// A type, not an interface: Temporal's memo options take a Record, which an interface does not satisfy.
export type RunMemo = {
  readonly pipeline: string;
  readonly model: string;
  readonly dataset: string;
  readonly target: string;
  /** Absent on training runs recorded before inference runs existed. */
  readonly kind?: RunKind;
};

/** What makes a run findable and readable in the Web UI, the CLI and the API, from its params alone. */
export interface RunMetadata {
  readonly memo: RunMemo;
  /** Set at start; the workflow keeps them and adds the stage and the primary metric as it goes. */
  readonly typedSearchAttributes: SearchAttributePair[];
  /** The Web UI's one-line summary and details of the run. */
  readonly staticSummary: string;
  readonly staticDetails: string;
}

/**
 * The one builder of a run's metadata, used by every way a run starts (API, schedules, CLI helpers)
 * and by the workflow itself, which upserts the same memo and search attributes so that a run
 * started without them (the Temporal CLI) has them too. Pure and deterministic: workflow code calls it.
 */
export function runMetadata(params: PipelineParams): RunMetadata {
  const { deploy } = params;
  return {
    // The memo keeps its pre-inference shape: the workflow upserts it, and a changed memo would be a changed command.
    memo: { pipeline: params.pipeline, model: params.model.type, dataset: redactText(params.dataset.source), target: params.dataset.target },
    typedSearchAttributes: [
      { key: SEARCH_ATTRIBUTES.pipeline, value: params.pipeline },
      { key: SEARCH_ATTRIBUTES.modelType, value: params.model.type },
      { key: SEARCH_ATTRIBUTES.kind, value: 'training' },
    ],
    staticSummary: `${params.pipeline}: ${params.model.type} on ${redactText(params.dataset.source)}`,
    staticDetails: `Deploys when ${deployGates(deploy).map((g) => `${g.metric} reaches ${g.threshold}`).join(', ')}${deploy.beatProduction ? ', beating production' : ''}${deploy.requireApproval ? ' and a person approves' : ''}.`,
  };
}

/** The model an inference run names, as `iris@3` or `iris@production`. */
export function modelLabel(model: InferenceParams['model']): string {
  return `${model.name}@${model.version ?? 'production'}`;
}

/** The same for a batch inference run; its model type is known only once validation has read the registry. */
export function inferenceRunMetadata(params: InferenceParams): RunMetadata {
  const model = modelLabel(params.model);
  return {
    memo: { pipeline: params.pipeline, model, dataset: redactText(params.dataset.source), target: params.dataset.label ?? '', kind: 'inference' },
    typedSearchAttributes: [
      { key: SEARCH_ATTRIBUTES.pipeline, value: params.pipeline },
      { key: SEARCH_ATTRIBUTES.kind, value: 'inference' },
    ],
    staticSummary: `${params.pipeline}: score ${redactText(params.dataset.source)} with ${model}`,
    staticDetails: `Writes ${params.output.format} predictions${params.dataset.label ? `; evaluates against ${params.dataset.label}` : ''}.`,
  };
}
