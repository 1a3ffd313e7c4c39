import { applyDecorators } from '@nestjs/common';
import { ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';

/**
 * Documents that an operation needs the API key: the `apiKey` security scheme on the operation
 * (so clients and schemathesis' auth checks know it) and its 401. The guard enforces it.
 */
export const KeyRequired = (): MethodDecorator =>
  applyDecorators(ApiSecurity('apiKey'), ApiUnauthorizedResponse({ description: 'missing or invalid x-api-key (API_KEY)' }));
