import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, mock, test } from 'node:test';
import { type INestApplication } from '@nestjs/common';
import { type Client, type ScheduleOptions, type WorkflowStartOptions } from '@temporalio/client';
import { createApiApp } from '../../api/app';
import { JsonLogger } from '../../api/common/jsonLogger';
import { loadApiConfig } from '../../api/config';
import { CreateScheduleSchema } from '../../api/schedules/schedules.dto';
import { parsePipelineParams, PipelineParamsSchema, runMetadata, SEARCH_ATTRIBUTES, TASK_QUEUES, WORKFLOW_TYPE } from '../../contract';
import { type ArtifactStore } from '../../storage/artifactStore';
import { readExample } from '../helpers/fixtures';

const API_KEY = 'unit-test-api-key-0123';

/** Records what the API asks of Temporal; answers just enough for the API to reply. */
class FakeTemporal {
  readonly starts: { workflowType: string; options: WorkflowStartOptions }[] = [];
  readonly schedules: ScheduleOptions[] = [];

  asClient(): Client {
    return {
      workflow: {
        start: (workflowType: string, options: WorkflowStartOptions) => {
          this.starts.push({ workflowType, options });
          return Promise.resolve({ workflowId: options.workflowId, firstExecutionRunId: `run-${this.starts.length}` });
        },
      },
      schedule: {
        create: (options: ScheduleOptions) => {
          this.schedules.push(options);
          const description = {
            state: { paused: false },
            spec: options.spec,
            policies: { overlap: 'SKIP' },
            action: options.action,
            info: { nextActionTimes: [], recentActions: [] },
          };
          return Promise.resolve({ describe: () => Promise.resolve(description) });
        },
      },
    } as unknown as Client;
  }
}

let temporal: FakeTemporal;
let app: INestApplication;
let baseUrl: string;

before(async () => {
  temporal = new FakeTemporal();
  const config = loadApiConfig({ API_KEY, ARTIFACT_ROOT: '/nonexistent' });
  app = await createApiApp(config, { client: temporal.asClient(), store: {} as ArtifactStore, logger: new JsonLogger(() => undefined) });
  await app.listen(0, '127.0.0.1');
  baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
});
after(async () => {
  await app?.close();
});
beforeEach(() => {
  temporal.starts.length = 0;
  temporal.schedules.length = 0;
});

async function post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

type Schema = typeof PipelineParamsSchema | typeof CreateScheduleSchema;

/** Counts calls of a zod schema's parse method (zod binds them lazily through getters, which mock.method cannot wrap). */
function spyOn(schema: Schema, name: 'parse' | 'safeParse'): { calls: () => number; restore: () => void } {
  const own = Object.getOwnPropertyDescriptor(schema, name);
  const spy = mock.fn((schema[name] as (...args: unknown[]) => unknown).bind(schema));
  Object.defineProperty(schema, name, { value: spy, configurable: true, writable: true });
  return {
    calls: () => spy.mock.callCount(),
    restore: () => (own ? Object.defineProperty(schema, name, own) : Reflect.deleteProperty(schema, name)),
  };
}

/**
 * Counts full parses of run params while `body` runs. The brand of ParsedPipelineParamsSchema is a
 * type only: it is the same schema object, so every parse of params goes through these two methods
 * (the request pipe calls `parse`, parsePipelineParams calls `safeParse`).
 */
async function countParses<T>(body: () => Promise<T>): Promise<{ result: T; parses: number }> {
  const parse = spyOn(PipelineParamsSchema, 'parse');
  const safeParse = spyOn(PipelineParamsSchema, 'safeParse');
  try {
    const result = await body();
    return { result, parses: parse.calls() + safeParse.calls() };
  } finally {
    parse.restore();
    safeParse.restore();
  }
}

describe('starting a run over the API', () => {
  test('params are parsed once, by the request pipe, and started as parsed with the run metadata', async () => {
    const example = await readExample('iris.json');
    const { result, parses } = await countParses(() => post('/runs', example));
    assert.equal(result.status, 201, JSON.stringify(result.body));
    assert.equal(parses, 1, 'the service and the client helper take the parsed params as they are');

    assert.equal(temporal.starts.length, 1);
    const [{ workflowType, options }] = temporal.starts;
    const params = parsePipelineParams(example);
    assert.equal(workflowType, WORKFLOW_TYPE);
    assert.deepEqual(options.args, [params], 'defaults filled in, so the history says what ran');
    assert.equal(options.workflowId, 'ml-iris');
    assert.equal(options.taskQueue, TASK_QUEUES.light);
    assert.equal(options.workflowIdConflictPolicy, 'FAIL');
    const metadata = runMetadata(params);
    assert.deepEqual(options.memo, metadata.memo);
    assert.deepEqual(options.typedSearchAttributes, metadata.typedSearchAttributes);
    assert.equal(options.staticSummary, 'iris: random_forest_classifier on iris.csv');
    assert.equal(options.staticDetails, 'Deploys when accuracy reaches 0.9.');
  });

  test('a bad body is refused by the pipe, naming the field, and nothing starts', async () => {
    const bad = { ...(await readExample('iris.json')), model: { type: 'svm' } };
    const { result, parses } = await countParses(() => post('/runs', bad));
    assert.equal(result.status, 400);
    assert.match(JSON.stringify(result.body), /model/);
    assert.equal(parses, 1);
    assert.equal(temporal.starts.length, 0);
  });
});

describe('creating a schedule over the API', () => {
  const schedule = async (params: object) => {
    const parse = spyOn(CreateScheduleSchema, 'parse');
    try {
      const { result, parses } = await countParses(() => post('/schedules', { scheduleId: 'nightly', intervalSeconds: 3600, params }));
      assert.equal(result.status, 201, JSON.stringify(result.body));
      assert.equal(parse.calls(), 1, 'the request pipe parses the body, params included');
      assert.equal(parses, 0, 'the service does not parse the params again');
    } finally {
      parse.restore();
    }
    return temporal.schedules.at(-1)!.action;
  };

  test('the action starts runs as the API does: same workflow id, argument and metadata', async () => {
    const example = await readExample('iris.json');
    const action = await schedule(example);
    const params = parsePipelineParams(example);
    assert.equal(action.workflowType, WORKFLOW_TYPE);
    assert.equal(action.taskQueue, TASK_QUEUES.light);
    assert.equal(action.workflowId, 'ml-iris', 'without allowConcurrentRuns: the pipeline id (Temporal appends the scheduled time)');
    assert.deepEqual(action.args, [params]);
    const metadata = runMetadata(params);
    assert.deepEqual(action.memo, metadata.memo);
    assert.deepEqual(action.typedSearchAttributes, metadata.typedSearchAttributes);
    assert.equal(action.staticSummary, metadata.staticSummary);
    assert.equal(action.staticDetails, metadata.staticDetails);
  });

  test('with allowConcurrentRuns each schedule has its own workflow id', async () => {
    const params = { ...(await readExample('iris.json')), allowConcurrentRuns: true };
    const first = await schedule(params);
    const second = await schedule(params);
    assert.match(first.workflowId!, /^ml-iris-[0-9a-f-]{36}$/);
    assert.match(second.workflowId!, /^ml-iris-[0-9a-f-]{36}$/);
    assert.notEqual(first.workflowId, second.workflowId);
  });
});

describe('runMetadata', () => {
  test('memo, search attributes and Web UI summary of a run, from its params alone', async () => {
    const params = parsePipelineParams({ ...(await readExample('iris-approval.json')), pipeline: 'gated' });
    const metadata = runMetadata(params);
    assert.deepEqual(metadata.memo, { pipeline: 'gated', model: params.model.type, dataset: params.dataset.source, target: params.dataset.target });
    assert.deepEqual(metadata.typedSearchAttributes, [
      { key: SEARCH_ATTRIBUTES.pipeline, value: 'gated' },
      { key: SEARCH_ATTRIBUTES.modelType, value: params.model.type },
      { key: SEARCH_ATTRIBUTES.kind, value: 'training' },
    ]);
    assert.match(metadata.staticDetails, /and a person approves\.$/);
    assert.deepEqual(runMetadata(params), metadata, 'deterministic: the workflow calls it on every replay');
  });
});
