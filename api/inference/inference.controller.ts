import { Body, Controller, Get, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataRead } from '../common/apiKeyGuard';
import { Answers } from '../common/answers';
import { KeyRequired } from '../common/keyRequired';
import { sendObject } from '../common/sendObject';
import { type Response } from 'express';
import { ZodValidationPipe } from 'nestjs-zod';
import { ZodParams, ZodQuery } from '../common/zodArgs';
import { RateLimited } from '../common/rateLimit';
import { RunIdParams, RunLookupQuery } from '../runs/runs.dto';
import { RunsService } from '../runs/runs.service';
import { CreateInferenceRunDto, ListInferenceRunsQuery } from './inference.dto';
import { INFERENCE_EXAMPLES } from './inferenceExamples';
import { InferenceService } from './inference.service';

const auth = KeyRequired();

/**
 * Batch inference runs on routes of their own: their body is another schema (a registered model
 * and a batch, not a model to train), and /runs keeps listing training runs only. A run's view and
 * its cancel are the training runs' own (RunsService): both read the same status query.
 */
@ApiTags('inference-runs')
@Controller('inference-runs')
export class InferenceController {
  constructor(
    @Inject(InferenceService) private readonly inference: InferenceService,
    @Inject(RunsService) private readonly runs: RunsService,
  ) {}

  @Post()
  @Answers(201, 400, 409, 413, 429)
  @RateLimited('runs')
  @auth
  @ApiOperation({ summary: 'Start a batch inference run (400 naming model.name when the registry has no such model)' })
  @ApiBody({ type: CreateInferenceRunDto, examples: INFERENCE_EXAMPLES })
  start(@Body(new ZodValidationPipe(CreateInferenceRunDto)) body: CreateInferenceRunDto) {
    return this.inference.start(body);
  }

  @Get()
  @Answers(200, 400)
  @ApiOperation({ summary: 'List batch inference runs from Temporal visibility, newest first' })
  list(@ZodQuery(ListInferenceRunsQuery) q: ListInferenceRunsQuery) {
    return this.inference.list({ pipeline: q.pipeline, status: q.status }, q.pageSize, q.cursor);
  }

  @Get(':id')
  @Answers(200, 400, 404)
  @ApiOperation({ summary: 'A batch inference run: steps, progress, metrics on labels, artifact links' })
  get(@ZodParams(RunIdParams) p: RunIdParams, @ZodQuery(RunLookupQuery) q: RunLookupQuery) {
    return this.runs.get(p.id, q.runId);
  }

  @Get(':id/predictions')
  @Answers(200, 400, 404)
  @DataRead()
  @KeyRequired()
  @ApiOperation({ summary: 'The predictions file (Parquet, CSV or JSONL, as the run wrote it), streamed from the store' })
  async predictions(@ZodParams(RunIdParams) p: RunIdParams, @ZodQuery(RunLookupQuery) q: RunLookupQuery, @Res() res: Response) {
    const download = await this.inference.predictions(p.id, q.runId);
    res.attachment(download.file).setHeader('Cache-Control', 'no-store');
    sendObject(res, download.body, download.contentType);
  }

  @Post(':id/cancel')
  @Answers(202, 400, 404, 409)
  @HttpCode(202)
  @auth
  @ApiOperation({ summary: 'Cancel a running batch inference run (it still writes a report)' })
  cancel(@ZodParams(RunIdParams) p: RunIdParams) {
    return this.runs.cancel(p.id);
  }
}
