import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ArgumentsHost } from '@nestjs/common';
import { ServiceError } from '@temporalio/client';
import { ErrorFilter, type ErrorBody } from '../../api/common/errorFilter';
import { JsonLogger } from '../../api/common/jsonLogger';
import { cronProblem } from '../../api/schedules/schedules.dto';
import { readExample } from '../helpers/fixtures';
import { startTestApi, type TestApi } from '../helpers/apiApp';

/** Requests that used to answer 500 (issue 15, defect 9): each is a 400 naming what is wrong. */
let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(async () => {
  await api?.close();
});

/** A gRPC error as @grpc/grpc-js delivers it: a code, Temporal's explanation in details, metadata. */
function grpcInvalidArgument(details: string): Error {
  return Object.assign(new Error(`3 INVALID_ARGUMENT: ${details}`), { code: 3, details, metadata: {} });
}

function answer(error: unknown): { status: number; body: ErrorBody } {
  const filter = new ErrorFilter(new JsonLogger(() => undefined));
  const sent: { status?: number; body?: ErrorBody } = {};
  const res = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: ErrorBody) {
      sent.body = body;
    },
  };
  const host = { switchToHttp: () => ({ getRequest: () => ({ path: '/runs' }), getResponse: () => res }) } as unknown as ArgumentsHost;
  filter.catch(error, host);
  return { status: sent.status!, body: sent.body! };
}

describe('cron expressions are parsed, not only matched', () => {
  for (const cron of ['61 * * * *', 'not a cron', '0 25 * * *', '* * * * * * * *', '0 0 32 * *']) {
    test(`POST /schedules with cron ${JSON.stringify(cron)} is a 400 naming cron`, async () => {
      const params = await readExample('iris.json');
      const res = await api.call<ErrorBody>('POST', '/schedules', { scheduleId: 'bad-cron', cron, params });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.match(res.body.error.message, /^invalid request: cron/, res.body.error.message);
    });
  }

  test('the forms Temporal runs pass: 5 fields, 6 with seconds, ranges, steps, names', () => {
    for (const cron of ['0 2 * * *', '*/15 * * * *', '0 9 * * MON-FRI', '30 0 12 1 * *', '0 0 1,15 * *']) assert.equal(cronProblem(cron), undefined, cron);
    assert.match(cronProblem('61 * * * *') ?? '', /"61 \* \* \* \*" is not a cron expression: .*0-59/);
  });
});

describe("Temporal's INVALID_ARGUMENT is a 400 in the one error filter", () => {
  test('a bare gRPC INVALID_ARGUMENT carries Temporal\'s explanation', () => {
    const { status, body } = answer(grpcInvalidArgument('invalid page token'));
    assert.equal(status, 400);
    assert.equal(body.error.code, 'invalid_argument');
    assert.equal(body.error.message, 'Temporal refused the request: invalid page token');
  });

  test('wrapped by the client (ServiceError) it is found through the cause', () => {
    const { status, body } = answer(new ServiceError('Failed to create schedule', { cause: grpcInvalidArgument('Invalid cron string') }));
    assert.equal(status, 400);
    assert.match(body.error.message, /Invalid cron string/);
  });

  test('other gRPC failures stay 500', () => {
    assert.equal(answer(Object.assign(new Error('14 UNAVAILABLE'), { code: 14, details: 'down', metadata: {} })).status, 500);
    assert.equal(answer(Object.assign(new Error('code 3 but not gRPC'), { code: 3 })).status, 500);
  });
});
