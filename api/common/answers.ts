import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** The body every error answer has: what api/common/errorFilter.ts writes. */
export class ErrorBodyDto extends createZodDto(
  z.strictObject({
    error: z.strictObject({
      status: z.number().int().min(400).max(599).describe('The HTTP status again.'),
      code: z.string().describe('A stable code, e.g. validation_failed, run_not_found.'),
      message: z.string().describe('What was wrong, naming the field for a bad request.'),
      details: z.unknown().optional().describe('For validation_failed: the issues, one per field.'),
      requestId: z.string().describe('The x-request-id of the request, as the logs carry it.'),
    }),
  }),
) {}

export type ErrorStatus = 400 | 401 | 404 | 409 | 413 | 415 | 429 | 500 | 503;

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'invalid request: the message and details name each field that was wrong',
  401: 'missing or invalid x-api-key (API_KEY)',
  404: 'no such run, schedule, model or artifact',
  409: 'conflicts with the current state (an active run, a schedule that exists, nothing to roll back to)',
  413: 'request body larger than API_BODY_LIMIT_BYTES',
  415: 'request body is not application/json',
  429: 'rate limit exceeded; Retry-After says when to try again',
  500: 'internal error (logged with the request id)',
  503: 'a dependency (Temporal, the artifact store) is unreachable',
};

/** Every error answer any operation can give, whatever its route: the error filter's last resort. */
export const ANY_OPERATION_ERRORS: readonly ErrorStatus[] = [500];

export const errorResponse = (status: ErrorStatus) => ({ status, description: ERROR_DESCRIPTIONS[status], type: ErrorBodyDto });

/**
 * Documents an operation's answers: its success status (without a schema: several routes stream
 * files or HTML) and each error status with the error body. Declaring any response makes
 * @nestjs/swagger drop its default success entry, so the success status is always stated here.
 */
export const Answers = (ok: 200 | 201 | 202 | 204, ...errors: ErrorStatus[]): MethodDecorator =>
  applyDecorators(ApiResponse({ status: ok, description: 'success' }), ...errors.map((status) => ApiResponse(errorResponse(status))));
