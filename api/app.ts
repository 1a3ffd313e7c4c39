import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { type Client } from '@temporalio/client';
import express from 'express';
import helmet from 'helmet';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { MlflowClient } from '../mlflow';
import { type ArtifactStore } from '../storage/artifactStore';
import { allowedMethods, type RouteTable } from './common/allowedMethods';
import { ANY_OPERATION_ERRORS, errorResponse } from './common/answers';
import { ApiKeyGuard } from './common/apiKeyGuard';
import { ErrorFilter } from './common/errorFilter';
import { CodecController } from './codec/codec.controller';
import { codecCors } from './codec/codecCors';
import { CodecService } from './codec/codec.service';
import { JsonLogger } from './common/jsonLogger';
import { RateLimitGuard } from './common/rateLimit';
import { requestIdMiddleware } from './common/requestId';
import { requestLog } from './common/requestLog';
import { WorkflowIdInterceptor } from './common/workflowIdInterceptor';
import { type ApiConfig } from './config';
import { InferenceController } from './inference/inference.controller';
import { InferenceService } from './inference/inference.service';
import { ModelsController } from './models/models.controller';
import { MlflowAliasSync } from './models/mlflowAlias';
import { ModelsService } from './models/models.service';
import { ApiMetrics } from './ops/apiMetrics';
import { OpsController } from './ops/ops.controller';
import { OpsService } from './ops/ops.service';
import { RunsController } from './runs/runs.controller';
import { RunsService } from './runs/runs.service';
import { SchedulesController } from './schedules/schedules.controller';
import { SchedulesService } from './schedules/schedules.service';
import { TrackingController } from './tracking/tracking.controller';
import { TrackingService } from './tracking/tracking.service';
import { API_CONFIG, ARTIFACT_STORE, JSON_LOGGER, METRICS, MLFLOW_CLIENT, TEMPORAL_CLIENT } from './tokens';

/** What the API talks to; it keeps no state of its own. */
export interface ApiDeps {
  readonly client: Client;
  readonly store: ArtifactStore;
  readonly logger?: JsonLogger;
  /** The MLflow client; built from config.mlflow when absent (none without MLFLOW_TRACKING_URI). */
  readonly mlflow?: MlflowClient;
  /** Close on SIGTERM/SIGINT by itself (the API process); off when the embedding process owns shutdown. */
  readonly handleSignals?: boolean;
}

@Module({})
class ApiModule {
  static forRoot(config: ApiConfig, deps: ApiDeps, metrics: ApiMetrics, logger: JsonLogger): DynamicModule {
    return {
      module: ApiModule,
      controllers: [RunsController, InferenceController, SchedulesController, ModelsController, TrackingController, OpsController, CodecController],
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: TEMPORAL_CLIENT, useValue: deps.client },
        { provide: ARTIFACT_STORE, useValue: deps.store },
        { provide: METRICS, useValue: metrics },
        { provide: JSON_LOGGER, useValue: logger },
        { provide: MLFLOW_CLIENT, useValue: deps.mlflow ?? (config.mlflow ? new MlflowClient(config.mlflow) : null) },
        RunsService,
        InferenceService,
        SchedulesService,
        MlflowAliasSync,
        ModelsService,
        TrackingService,
        OpsService,
        CodecService,
        ApiKeyGuard,
        RateLimitGuard,
      ],
    };
  }
}

/** The OpenAPI document, generated from the same zod schemas that validate requests. */
function buildDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('ML pipelines on Temporal')
      .setDescription('Start, watch and control pipeline runs; schedules; models and predictions.')
      .setVersion('1')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'apiKey')
      .addGlobalResponse(...ANY_OPERATION_ERRORS.map(errorResponse))
      .build(),
  );
  return cleanupOpenApiDoc(document);
}

/** Each documented path with its methods, plus the docs' own pages. */
function routeTable(document: OpenAPIObject): RouteTable {
  const table: Record<string, string[]> = { '/docs': ['GET'], '/docs-json': ['GET'], '/docs/{asset}': ['GET'] };
  for (const [path, item] of Object.entries(document.paths)) {
    table[path] = Object.keys(item).filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k));
  }
  return table;
}

/** Builds the NestJS app (not yet listening): middleware, guards, the error filter and the docs. */
export async function createApiApp(config: ApiConfig, deps: ApiDeps): Promise<INestApplication> {
  const logger = deps.logger ?? new JsonLogger();
  const metrics = new ApiMetrics();
  const app = await NestFactory.create(ApiModule.forRoot(config, deps, metrics, logger), { logger, bodyParser: false });
  app.use(requestIdMiddleware);
  app.use(requestLog(logger, metrics));
  const document = buildDocument(app);
  app.use(codecCors(config.codecCorsOrigins));
  app.use(allowedMethods(routeTable(document)));
  app.use(helmet());
  app.use(express.json({ limit: config.bodyLimitBytes }));
  app.useGlobalFilters(new ErrorFilter(logger));
  app.useGlobalGuards(app.get(ApiKeyGuard), app.get(RateLimitGuard));
  app.useGlobalInterceptors(new WorkflowIdInterceptor());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  if (deps.handleSignals) app.enableShutdownHooks();
  return app;
}
