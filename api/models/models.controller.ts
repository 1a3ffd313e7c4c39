import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { KeyRequired } from '../common/keyRequired';
import { ZodValidationPipe } from 'nestjs-zod';
import { RateLimited } from '../common/rateLimit';
import { ModelNameParams, PredictDto, RollbackDto } from './models.dto';
import { ModelsService } from './models.service';

const auth = KeyRequired();
const name = new ZodValidationPipe(ModelNameParams);

@ApiTags('models')
@Controller('models')
export class ModelsController {
  constructor(@Inject(ModelsService) private readonly models: ModelsService) {}

  @Get()
  @ApiOperation({ summary: 'Models in the registry and their production versions' })
  list() {
    return this.models.list();
  }

  @Get(':name')
  @ApiOperation({ summary: 'A model: versions with metrics and lineage, and which one serves' })
  get(@Param(name) p: ModelNameParams) {
    return this.models.get(p.name);
  }

  @Post(':name/predict')
  @HttpCode(200)
  @RateLimited('predictions')
  @auth
  @ApiOperation({ summary: 'Predict with the production version and its saved preprocessing' })
  @ApiBody({ type: PredictDto })
  predict(@Param(name) p: ModelNameParams, @Body(new ZodValidationPipe(PredictDto)) body: PredictDto) {
    return this.models.predict(p.name, body.rows);
  }

  @Post(':name/rollback')
  @HttpCode(200)
  @auth
  @ApiOperation({ summary: 'Serve an earlier version again' })
  @ApiBody({ type: RollbackDto, required: false })
  rollback(@Param(name) p: ModelNameParams, @Body(new ZodValidationPipe(RollbackDto)) body: RollbackDto) {
    return this.models.rollback(p.name, body.version);
  }
}
