import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answers } from '../common/answers';
import { ZodParams, ZodQuery } from '../common/zodArgs';
import { CompareRunsQuery, ListTrackedRunsQuery, PipelineParams, TrackedRunParams } from './tracking.dto';
import { TrackingService } from './tracking.service';

@ApiTags('tracking')
@Controller('pipelines')
export class TrackingController {
  constructor(@Inject(TrackingService) private readonly tracking: TrackingService) {}

  @Get(':pipeline/runs')
  @Answers(200, 400, 404)
  @ApiOperation({ summary: "A pipeline's tracked training runs: params, metrics, data, decision; sorted and filtered by any field" })
  list(@ZodParams(PipelineParams) p: PipelineParams, @ZodQuery(ListTrackedRunsQuery) q: ListTrackedRunsQuery) {
    return this.tracking.list(p.pipeline, q);
  }

  // Declared before :runId, which would otherwise take "compare" for a run id.
  @Get(':pipeline/runs/compare')
  @Answers(200, 400, 404)
  @ApiOperation({ summary: 'Compare tracked runs: params that differ, metrics, data and step times side by side' })
  compare(@ZodParams(PipelineParams) p: PipelineParams, @ZodQuery(CompareRunsQuery) q: CompareRunsQuery) {
    return this.tracking.compare(p.pipeline, q.runs);
  }

  @Get(':pipeline/runs/:runId')
  @Answers(200, 400, 404)
  @ApiOperation({ summary: "One tracked run's record" })
  get(@ZodParams(TrackedRunParams) p: TrackedRunParams) {
    return this.tracking.get(p.pipeline, p.runId);
  }
}
