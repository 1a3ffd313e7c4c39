import { Inject, Injectable } from '@nestjs/common';
import { type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { startInferenceRun } from '../../client/startInference';
import { INFERENCE_WORKFLOW_TYPE, inferenceWorkflowIdFor, runKey, type ParsedInferenceParams, type PredictionFormat } from '../../contract';
import { PREDICTION_FILE_TYPES } from '../../ml/data/output';
import { ArtifactNotFoundError, type ArtifactStore, type ObjectStream } from '../../storage/artifactStore';
import { ModelRegistry } from '../../storage/modelRegistry';
import { type ApiConfig } from '../config';
import { BadRequestError, NotFoundError, RunAlreadyActiveError } from '../common/errors';
import { API_CONFIG, ARTIFACT_STORE, TEMPORAL_CLIENT } from '../tokens';
import { runLinks } from '../runs/runView';
import { listRuns, type RunFilter, type RunPage } from '../runs/visibility';
import { type StartedRunView } from '../runs/runs.service';

/** A 400 naming the field, with details in the shape the request pipe uses for bad bodies. */
class InvalidFieldError extends BadRequestError {
  override readonly details: { field: string; message: string }[];
  constructor(field: string, message: string) {
    super(`invalid inference params: ${field}: ${message}`);
    this.details = [{ field, message }];
  }
}
const badField = (field: string, message: string) => new InvalidFieldError(field, message);

export interface PredictionsDownload {
  readonly body: ObjectStream;
  readonly file: string;
  readonly contentType: string;
}

/** Batch inference runs: started after checking the registry, listed by workflow type, predictions streamed from the store. */
@Injectable()
export class InferenceService {
  private readonly registry: ModelRegistry;

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(ARTIFACT_STORE) private readonly store: ArtifactStore,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    this.registry = new ModelRegistry(store);
  }

  /**
   * A model the registry lacks is the caller's mistake: refused before anything starts. One object
   * read when the model is there (the pinned version, or the production pointer); the versions are
   * listed only to say which field is wrong.
   */
  private async checkModel(model: ParsedInferenceParams['model']): Promise<void> {
    const found = model.version !== undefined ? await this.registry.hasVersion(model.name, model.version) : (await this.registry.production(model.name)) !== undefined;
    if (found) return;
    if ((await this.registry.versions(model.name)).length === 0) throw badField('model.name', `no model named ${model.name} in the registry`);
    if (model.version !== undefined) throw badField('model.version', `model ${model.name} has no version ${model.version}`);
    throw badField('model.version', `model ${model.name} has no production version; pin one`);
  }

  async start(params: ParsedInferenceParams): Promise<StartedRunView> {
    await this.checkModel(params.model);
    try {
      const { workflowId, runId } = await startInferenceRun(this.client, params);
      return { workflowId, runId, links: runLinks(workflowId, runId, this.config.temporal.uiUrl, this.config.temporal.namespace) };
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      const active = inferenceWorkflowIdFor(params, () => '');
      const description = await this.client.workflow.getHandle(active).describe();
      throw new RunAlreadyActiveError(params.pipeline, active, description.runId);
    }
  }

  list(filter: RunFilter, pageSize: number, cursor?: string): Promise<RunPage> {
    return listRuns(this.client, filter, pageSize, cursor, INFERENCE_WORKFLOW_TYPE);
  }

  /** The run's predictions file, in whichever format it wrote, as a stream from the store. */
  async predictions(workflowId: string, runId?: string): Promise<PredictionsDownload> {
    const d = await this.client.workflow.getHandle(workflowId, runId).describe();
    if (d.type !== INFERENCE_WORKFLOW_TYPE) throw new NotFoundError(`run ${workflowId} is not a batch inference run`);
    const pipeline = (d.memo as { pipeline?: string } | undefined)?.pipeline ?? '';
    const run = { pipeline, workflowId, runId: d.runId };
    for (const format of Object.keys(PREDICTION_FILE_TYPES) as PredictionFormat[]) {
      const { file, contentType } = PREDICTION_FILE_TYPES[format];
      try {
        return { body: await this.store.getStream(runKey(run, 'predictions', file)), file, contentType };
      } catch (error) {
        if (!(error instanceof ArtifactNotFoundError)) throw error;
      }
    }
    throw new NotFoundError(`run ${workflowId} has no predictions (yet)`);
  }
}
