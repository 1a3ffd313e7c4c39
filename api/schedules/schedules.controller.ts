import { Body, Controller, Delete, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answers } from '../common/answers';
import { KeyRequired } from '../common/keyRequired';
import { ZodValidationPipe } from 'nestjs-zod';
import { OptionalZodBody, ZodParams } from '../common/zodArgs';
import { BackfillDto, CreateScheduleDto, PauseDto, ScheduleIdParams, TriggerDto } from './schedules.dto';
import { BACKFILL_EXAMPLES, SCHEDULE_EXAMPLES } from './scheduleExamples';
import { SchedulesService } from './schedules.service';

const auth = KeyRequired();

@ApiTags('schedules')
@Controller('schedules')
export class SchedulesController {
  constructor(@Inject(SchedulesService) private readonly schedules: SchedulesService) {}

  @Post()
  @Answers(201, 400, 409, 413)
  @auth
  @ApiOperation({ summary: 'Create a Temporal Schedule of pipeline runs (cron or interval)' })
  @ApiBody({ type: CreateScheduleDto, examples: SCHEDULE_EXAMPLES })
  create(@Body(new ZodValidationPipe(CreateScheduleDto)) body: CreateScheduleDto) {
    return this.schedules.create(body);
  }

  @Get()
  @Answers(200)
  @ApiOperation({ summary: 'List schedules' })
  list() {
    return this.schedules.list();
  }

  @Get(':id')
  @Answers(200, 400, 404)
  @ApiOperation({ summary: 'A schedule: spec, state, next and recent runs' })
  get(@ZodParams(ScheduleIdParams) p: ScheduleIdParams) {
    return this.schedules.get(p.id);
  }

  @Post(':id/pause')
  @Answers(201, 400, 404, 413)
  @auth
  @ApiBody({ type: PauseDto, required: false })
  pause(@ZodParams(ScheduleIdParams) p: ScheduleIdParams, @OptionalZodBody(PauseDto) body: PauseDto) {
    return this.schedules.pause(p.id, body.note);
  }

  @Post(':id/unpause')
  @Answers(201, 400, 404, 413)
  @auth
  @ApiBody({ type: PauseDto, required: false })
  unpause(@ZodParams(ScheduleIdParams) p: ScheduleIdParams, @OptionalZodBody(PauseDto) body: PauseDto) {
    return this.schedules.unpause(p.id, body.note);
  }

  @Post(':id/trigger')
  @Answers(202, 400, 404, 413)
  @HttpCode(202)
  @auth
  @ApiOperation({ summary: 'Start a run now' })
  @ApiBody({ type: TriggerDto, required: false })
  trigger(@ZodParams(ScheduleIdParams) p: ScheduleIdParams, @OptionalZodBody(TriggerDto) body: TriggerDto) {
    return this.schedules.trigger(p.id, body.overlap);
  }

  @Post(':id/backfill')
  @Answers(202, 400, 404, 413)
  @HttpCode(202)
  @auth
  @ApiOperation({ summary: 'Run the schedule for a past time range' })
  @ApiBody({ type: BackfillDto, examples: BACKFILL_EXAMPLES })
  backfill(@ZodParams(ScheduleIdParams) p: ScheduleIdParams, @Body(new ZodValidationPipe(BackfillDto)) body: BackfillDto) {
    return this.schedules.backfill(p.id, body.start, body.end, body.overlap);
  }

  @Delete(':id')
  @Answers(200, 400, 404)
  @auth
  delete(@ZodParams(ScheduleIdParams) p: ScheduleIdParams) {
    return this.schedules.delete(p.id);
  }
}
