import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { KeyRequired } from '../common/keyRequired';
import { ZodValidationPipe } from 'nestjs-zod';
import { BackfillDto, CreateScheduleDto, PauseDto, ScheduleIdParams, TriggerDto } from './schedules.dto';
import { BACKFILL_EXAMPLES, SCHEDULE_EXAMPLES } from './scheduleExamples';
import { SchedulesService } from './schedules.service';

const auth = KeyRequired();
const id = new ZodValidationPipe(ScheduleIdParams);

@ApiTags('schedules')
@Controller('schedules')
export class SchedulesController {
  constructor(@Inject(SchedulesService) private readonly schedules: SchedulesService) {}

  @Post()
  @auth
  @ApiOperation({ summary: 'Create a Temporal Schedule of pipeline runs (cron or interval)' })
  @ApiBody({ type: CreateScheduleDto, examples: SCHEDULE_EXAMPLES })
  create(@Body(new ZodValidationPipe(CreateScheduleDto)) body: CreateScheduleDto) {
    return this.schedules.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List schedules' })
  list() {
    return this.schedules.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'A schedule: spec, state, next and recent runs' })
  get(@Param(id) p: ScheduleIdParams) {
    return this.schedules.get(p.id);
  }

  @Post(':id/pause')
  @auth
  @ApiBody({ type: PauseDto, required: false })
  pause(@Param(id) p: ScheduleIdParams, @Body(new ZodValidationPipe(PauseDto)) body: PauseDto) {
    return this.schedules.pause(p.id, body.note);
  }

  @Post(':id/unpause')
  @auth
  @ApiBody({ type: PauseDto, required: false })
  unpause(@Param(id) p: ScheduleIdParams, @Body(new ZodValidationPipe(PauseDto)) body: PauseDto) {
    return this.schedules.unpause(p.id, body.note);
  }

  @Post(':id/trigger')
  @HttpCode(202)
  @auth
  @ApiOperation({ summary: 'Start a run now' })
  @ApiBody({ type: TriggerDto, required: false })
  trigger(@Param(id) p: ScheduleIdParams, @Body(new ZodValidationPipe(TriggerDto)) body: TriggerDto) {
    return this.schedules.trigger(p.id, body.overlap);
  }

  @Post(':id/backfill')
  @HttpCode(202)
  @auth
  @ApiOperation({ summary: 'Run the schedule for a past time range' })
  @ApiBody({ type: BackfillDto, examples: BACKFILL_EXAMPLES })
  backfill(@Param(id) p: ScheduleIdParams, @Body(new ZodValidationPipe(BackfillDto)) body: BackfillDto) {
    return this.schedules.backfill(p.id, body.start, body.end, body.overlap);
  }

  @Delete(':id')
  @auth
  delete(@Param(id) p: ScheduleIdParams) {
    return this.schedules.delete(p.id);
  }
}
