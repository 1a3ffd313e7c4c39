import { Body, Controller, Get, Header, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answers } from '../common/answers';
import { KeyRequired } from '../common/keyRequired';
import { type Response } from 'express';
import { ZodValidationPipe } from 'nestjs-zod';
import { OptionalZodBody, ZodParams, ZodQuery } from '../common/zodArgs';
import { DataRead } from '../common/apiKeyGuard';
import { RateLimited } from '../common/rateLimit';
import { sendObject } from '../common/sendObject';
import { contentTypeOf } from '../common/contentType';
import { ApprovalDto, ArtifactParams, CreateRunDto, ListRunsQuery, RunIdParams, RunLookupQuery } from './runs.dto';
import { RUN_EXAMPLES } from './runExamples';
import { RunsService } from './runs.service';

const auth = KeyRequired();

const NO_STORE = 'no-store';

@ApiTags('runs')
@Controller('runs')
export class RunsController {
  constructor(@Inject(RunsService) private readonly runs: RunsService) {}

  @Post()
  @Answers(201, 400, 409, 413, 429)
  @RateLimited('runs')
  @auth
  @ApiOperation({ summary: 'Start a pipeline run' })
  @ApiBody({ type: CreateRunDto, examples: RUN_EXAMPLES })
  start(@Body(new ZodValidationPipe(CreateRunDto)) body: CreateRunDto) {
    return this.runs.start(body);
  }

  @Get()
  @Answers(200, 400)
  @ApiOperation({ summary: 'List runs from Temporal visibility, newest first' })
  list(@ZodQuery(ListRunsQuery) q: ListRunsQuery) {
    return this.runs.list({ pipeline: q.pipeline, status: q.status, modelType: q.modelType }, q.pageSize, q.cursor);
  }

  @Get(':id')
  @Answers(200, 400, 404)
  // A run's details change as it runs and may carry what a shared cache must not keep.
  @Header('Cache-Control', NO_STORE)
  @ApiOperation({
    summary: 'A run: steps, progress, metrics, decision, artifact links',
    description:
      "Built at most every API_RUNNING_VIEW_MAX_AGE_MS (500 ms) for a running run and API_CLOSED_VIEW_MAX_AGE_MS (1 s) for a closed one asked for by workflow id; this API's own start, approve, reject and cancel show at once.",
  })
  get(@ZodParams(RunIdParams) p: RunIdParams, @ZodQuery(RunLookupQuery) q: RunLookupQuery) {
    return this.runs.get(p.id, q.runId);
  }

  @Get(':id/report')
  @Answers(200, 400, 404)
  @ApiOperation({ summary: 'The run report (HTML)' })
  async report(
    @ZodParams(RunIdParams) p: RunIdParams,
    @ZodQuery(RunLookupQuery) q: RunLookupQuery,
    @Res() res: Response,
  ) {
    res.setHeader('Cache-Control', NO_STORE);
    sendObject(res, await this.runs.report(p.id, q.runId), 'text/html; charset=utf-8');
  }

  @Get(':id/artifacts/:kind/:file')
  @Answers(200, 400, 404)
  @DataRead()
  @auth
  @ApiOperation({ summary: 'One artifact of a run (needs the API key unless API_OPEN_READS=true)' })
  async artifact(
    @ZodParams(ArtifactParams) p: ArtifactParams,
    @ZodQuery(RunLookupQuery) q: RunLookupQuery,
    @Res() res: Response,
  ) {
    // Artifacts hold the ingested data and the model: no cache on the way may keep a copy.
    res.setHeader('Cache-Control', NO_STORE);
    sendObject(res, await this.runs.artifact(p.id, p.kind, p.file, q.runId), contentTypeOf(p.file));
  }

  @Post(':id/cancel')
  @Answers(202, 400, 404, 409)
  @HttpCode(202)
  @auth
  @ApiOperation({ summary: 'Cancel a running run (it still writes a report)' })
  cancel(@ZodParams(RunIdParams) p: RunIdParams) {
    return this.runs.cancel(p.id);
  }

  @Post(':id/approve')
  @Answers(202, 400, 404, 409, 413)
  @HttpCode(202)
  @auth
  @ApiOperation({ summary: 'Approve the deploy of a gated run' })
  @ApiBody({ type: ApprovalDto, required: false })
  approve(@ZodParams(RunIdParams) p: RunIdParams, @OptionalZodBody(ApprovalDto) body: ApprovalDto) {
    return this.runs.decide(p.id, true, body);
  }

  @Post(':id/reject')
  @Answers(202, 400, 404, 409, 413)
  @HttpCode(202)
  @auth
  @ApiOperation({ summary: 'Reject the deploy of a gated run' })
  @ApiBody({ type: ApprovalDto, required: false })
  reject(@ZodParams(RunIdParams) p: RunIdParams, @OptionalZodBody(ApprovalDto) body: ApprovalDto) {
    return this.runs.decide(p.id, false, body);
  }
}
