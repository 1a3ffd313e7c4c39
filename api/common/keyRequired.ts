import { applyDecorators } from '@nestjs/common';
import { ApiResponse, ApiSecurity } from '@nestjs/swagger';
import { errorResponse } from './answers';

/**
 * Documents that an operation needs the API key: the `apiKey` security scheme on the operation
 * (so clients and schemathesis' auth checks know it) and its 401. The guard enforces it.
 */
export const KeyRequired = (): MethodDecorator => applyDecorators(ApiSecurity('apiKey'), ApiResponse(errorResponse(401)));
