import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { type Request } from 'express';
import { type ApiConfig } from '../config';
import { API_CONFIG } from '../tokens';
import { UnauthorizedError } from './errors';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const OPEN_PATHS = new Set(['/healthz', '/readyz']);
export const API_KEY_HEADER = 'x-api-key';

function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Every mutating request needs the API key; reads only when configured so. Without a configured key, writes are closed. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (OPEN_PATHS.has(req.path)) return true;
    if (READS.has(req.method) && !this.config.readRequiresKey) return true;
    if (!this.config.apiKey) throw new UnauthorizedError('this endpoint needs an API key, and none is configured (set API_KEY)');
    const given = req.header(API_KEY_HEADER);
    if (!given) throw new UnauthorizedError(`missing ${API_KEY_HEADER} header`);
    if (!sameKey(given, this.config.apiKey)) throw new UnauthorizedError(`invalid ${API_KEY_HEADER}`);
    return true;
  }
}
