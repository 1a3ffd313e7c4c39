import { type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import { type Request } from 'express';
import { type ApiConfig } from '../config';
import { API_CONFIG } from '../tokens';
import { UnauthorizedError } from './errors';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const OPEN_PATHS = new Set(['/healthz', '/readyz']);
export const API_KEY_HEADER = 'x-api-key';
const DATA_READ = 'mlp:dataRead';

/**
 * Marks a read that returns stored data (ingested tables, splits, models): it needs the key like a
 * write unless API_OPEN_READS=true, since it hands out the whole dataset to anyone who can reach the port.
 */
export const DataRead = (): MethodDecorator => SetMetadata(DATA_READ, true);

/** The key of `Authorization: Bearer <key>`: what the Temporal CLI's `--codec-auth` and the Web UI send to a codec server. */
function bearer(header: string | undefined): string | undefined {
  const m = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}

function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Every mutating request needs the API key, and so do data reads unless opened; other reads only
 * when configured so. Without a configured key, whatever needs one is closed.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (OPEN_PATHS.has(req.path)) return true;
    const dataRead = this.reflector.get<boolean | undefined>(DATA_READ, context.getHandler()) === true;
    const openRead = dataRead ? this.config.openReads : !this.config.readRequiresKey;
    if (READS.has(req.method) && openRead) return true;
    if (!this.config.apiKey) throw new UnauthorizedError('this endpoint needs an API key, and none is configured (set API_KEY)');
    const given = req.header(API_KEY_HEADER) ?? bearer(req.header('authorization'));
    if (!given) throw new UnauthorizedError(`missing ${API_KEY_HEADER} header`);
    if (!sameKey(given, this.config.apiKey)) throw new UnauthorizedError(`invalid ${API_KEY_HEADER}`);
    return true;
  }
}
