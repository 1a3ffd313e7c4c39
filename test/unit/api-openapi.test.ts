import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { paramsKind } from '../../client/paramsKind';
import { ModelRegistry } from '../../storage/modelRegistry';
import { EXAMPLES, readExample } from '../helpers/fixtures';
import { startTestApi, type TestApi } from '../helpers/apiApp';

type Response = { content?: Record<string, { schema?: { $ref?: string } }> };
type Parameter = { name: string; in: string; required?: boolean };
type Operation = { parameters?: Parameter[]; responses: Record<string, Response>; security?: unknown[]; requestBody?: { content: Record<string, { examples?: Record<string, { summary?: string; value: unknown }>; schema?: unknown }> } };
type OpenApi = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, { description?: string; properties?: Record<string, { description?: string }> }> } };

let api: TestApi;
let doc: OpenApi;
before(async () => {
  api = await startTestApi();
  doc = (await api.anonymous<OpenApi>('GET', '/docs-json')).body;
  // The inference example scores with the model the iris example deploys: the registry must have it.
  const registry = new ModelRegistry(api.store);
  const run = { pipeline: 'iris', workflowId: 'ml-iris', runId: 'r1' };
  const version = await registry.claimVersion({ model: 'iris', run, datasetFingerprint: 'x', params: {}, metrics: {}, registeredAt: new Date().toISOString() });
  await registry.promote('iris', version, new Date(), run);
});
after(async () => {
  await api?.close();
});

/** Every named request-body example in the document, by operation. */
function examples(): { method: string; path: string; name: string; value: unknown }[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).flatMap(([method, op]) =>
      Object.entries(op.requestBody?.content['application/json']?.examples ?? {}).map(([name, e]) => ({ method: method.toUpperCase(), path, name, value: e.value })),
    ),
  );
}

/** Every operation in the document. */
function operations(): { method: string; path: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
}

const ERROR_BODY = '#/components/schemas/ErrorBodyDto';

describe('OpenAPI document', () => {
  test('every operation declares each parameter of its path, and its query parameters', () => {
    assert.ok(operations().length >= 23);
    for (const { method, path, op } of operations()) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
      assert.deepEqual(declared.map((p) => p.name).sort(), inPath, `${method} ${path}`);
      assert.ok(declared.every((p) => p.required), `${method} ${path}: path parameters are required`);
    }
    const list = doc.paths['/runs'].get.parameters?.filter((p) => p.in === 'query').map((p) => p.name);
    assert.deepEqual(list?.sort(), ['cursor', 'modelType', 'pageSize', 'pipeline', 'status']);
  });

  test('every operation documents its success and its error answers, with the error filter\'s body', () => {
    for (const { method, path, op } of operations()) {
      const codes = Object.keys(op.responses);
      const where = `${method} ${path}: ${codes.join(',')}`;
      assert.ok(codes.some((c) => /^2\d\d$/.test(c)), `${where} has no success`);
      assert.ok(codes.includes('500'), `${where} has no 500`);
      if (op.security) assert.ok(codes.includes('401'), `${where} needs the key but has no 401`);
      if (op.parameters?.length || op.requestBody) assert.ok(codes.includes('400'), `${where} takes input but has no 400`);
      if (op.parameters?.some((p) => p.in === 'path')) assert.ok(codes.includes('404'), `${where} names a resource but has no 404`);
      for (const code of codes.filter((c) => Number(c) >= 400 && path !== '/readyz')) {
        assert.equal(op.responses[code].content?.['application/json']?.schema?.$ref, ERROR_BODY, `${where}: ${code}`);
      }
    }
    for (const path of ['/runs', '/inference-runs', '/models/{name}/predict']) assert.ok(doc.paths[path].post.responses['429'], `${path} is rate limited`);
    assert.ok(doc.paths['/schedules'].post.responses['409'], 'a schedule that exists');
    const body = doc.components.schemas.ErrorBodyDto.properties?.error as { required?: string[] } | undefined;
    assert.deepEqual(body?.required?.sort(), ['code', 'message', 'requestId', 'status']);
  });

  test('refinements the schema cannot express are stated in its descriptions', () => {
    const schedule = doc.components.schemas.CreateScheduleDto;
    assert.match(schedule.description ?? '', /exactly one of cron and intervalSeconds/);
    assert.match(schedule.properties?.cron?.description ?? '', /Exactly one of cron and intervalSeconds/);
    assert.match(schedule.properties?.intervalSeconds?.description ?? '', /Exactly one of cron and intervalSeconds/);
    const backfill = doc.components.schemas.BackfillDto;
    assert.match(backfill.description ?? '', /start < end/);
    assert.match(backfill.properties?.end?.description ?? '', /after start/);
  });

  test('is OpenAPI 3 with every route, and the run body schema comes from the zod contract', () => {
    assert.match(doc.openapi, /^3\./);
    for (const path of ['/runs', '/runs/{id}', '/runs/{id}/approve', '/schedules', '/schedules/{id}/backfill', '/models/{name}/predict', '/readyz']) {
      assert.ok(doc.paths[path], `missing ${path}`);
    }
    const runBody = doc.components.schemas.CreateRunDto;
    assert.ok(runBody?.properties?.pipeline && runBody.properties.model && runBody.properties.deploy, JSON.stringify(runBody).slice(0, 300));
  });

  test('the POST /runs and POST /inference-runs examples are the run files in examples/', async () => {
    const files = (await readdir(EXAMPLES)).filter((f) => f.endsWith('.json')).sort();
    const runs = examples().filter((e) => e.method === 'POST' && (e.path === '/runs' || e.path === '/inference-runs'));
    assert.equal(runs.length, files.length);
    for (const file of files) {
      const params = await readExample(file);
      const offered = runs.filter((e) => e.path === (paramsKind(params) === 'inference' ? '/inference-runs' : '/runs'));
      assert.ok(
        offered.some((e) => JSON.stringify(e.value) === JSON.stringify(params)),
        `${file} is not offered`,
      );
    }
    assert.ok(examples().some((e) => e.path === '/schedules'), 'POST /schedules has examples');
  });

  test('every example body is accepted when sent as it is', async () => {
    const all = examples();
    // Examples for a schedule's own routes need a schedule: the first schedule example makes it.
    const schedule = all.find((e) => e.path === '/schedules');
    assert.ok(schedule);
    const scheduleId = (schedule.value as { scheduleId: string }).scheduleId;
    for (const { method, path, name, value } of [...all].sort((a, b) => a.path.length - b.path.length)) {
      const concrete = path.replace('{id}', scheduleId);
      assert.ok(!/\{/.test(concrete), `no way to fill in ${path} for example ${name}`);
      if (path.startsWith('/schedules/{id}')) assert.ok(api.temporal.schedules.byId.has(scheduleId));
      const res = await api.call(method, concrete, value);
      assert.ok(res.status >= 200 && res.status < 300, `${method} ${path} example ${name}: ${res.status} ${res.text}`);
    }
    assert.ok(api.temporal.workflows.all.length >= 4);
  });
});
