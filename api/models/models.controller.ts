import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answers } from '../common/answers';
import { KeyRequired } from '../common/keyRequired';
import { ZodValidationPipe } from 'nestjs-zod';
import { OptionalZodBody, ZodParams, ZodQuery } from '../common/zodArgs';
import { RateLimited } from '../common/rateLimit';
import { ModelNameParams, ModelVersionParams, PredictDto, PredictionDto, PromoteDto, PromotionAnswerDto, RollbackAnswerDto, RollbackDto, VersionsQuery } from './models.dto';
import { ModelsService } from './models.service';

const auth = KeyRequired();

@ApiTags('models')
@Controller('models')
export class ModelsController {
  constructor(@Inject(ModelsService) private readonly models: ModelsService) {}

  @Get()
  @Answers(200)
  @ApiOperation({ summary: 'Models in the registry and their production versions' })
  list() {
    return this.models.list();
  }

  @Get(':name')
  @Answers(200, 400, 404)
  @ApiOperation({ summary: 'A model: versions with metrics and lineage, and which one serves' })
  get(@ZodParams(ModelNameParams) p: ModelNameParams) {
    return this.models.get(p.name);
  }

  @Get(':name/versions')
  @Answers(200, 400, 404)
  @ApiOperation({ summary: 'Versions by status: the production one and the candidates apart, then each version with its status, metrics and promotions' })
  versions(@ZodParams(ModelNameParams) p: ModelNameParams, @ZodQuery(VersionsQuery) q: VersionsQuery) {
    return this.models.versions(p.name, q.status);
  }

  @Post(':name/versions/:version/promote')
  @ApiOkResponse({ type: PromotionAnswerDto, description: 'the version serves; mlflow and warnings say whether MLflow\'s production alias followed' })
  @Answers(200, 400, 404, 409, 413)
  @HttpCode(200)
  @auth
  @ApiOperation({ summary: 'Serve a version (e.g. a candidate the deploy gate kept out), recording who decided and why' })
  @ApiBody({ type: PromoteDto })
  promote(@ZodParams(ModelVersionParams) p: ModelVersionParams, @Body(new ZodValidationPipe(PromoteDto)) body: PromoteDto) {
    return this.models.promote(p.name, p.version, body);
  }

  @Post(':name/predict')
  @ApiOkResponse({ type: PredictionDto, description: 'predictions, class probabilities (classifiers) and per-row warnings' })
  @Answers(200, 400, 404, 413, 429)
  @HttpCode(200)
  @RateLimited('predictions')
  @auth
  @ApiOperation({ summary: 'Predict with the production version and its saved preprocessing' })
  @ApiBody({ type: PredictDto })
  predict(@ZodParams(ModelNameParams) p: ModelNameParams, @Body(new ZodValidationPipe(PredictDto)) body: PredictDto) {
    return this.models.predict(p.name, body.rows);
  }

  @Post(':name/rollback')
  @ApiOkResponse({ type: RollbackAnswerDto, description: 'the production pointer; mlflow and warnings say whether MLflow\'s production alias followed' })
  @Answers(200, 400, 404, 409, 413)
  @HttpCode(200)
  @auth
  @ApiOperation({ summary: 'Serve an earlier version again' })
  @ApiBody({ type: RollbackDto, required: false })
  rollback(@ZodParams(ModelNameParams) p: ModelNameParams, @OptionalZodBody(RollbackDto) body: RollbackDto) {
    return this.models.rollback(p.name, body.version);
  }
}
