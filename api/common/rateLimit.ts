import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Request, type Response } from 'express';
import { type ApiConfig } from '../config';
import { API_CONFIG } from '../tokens';

export type RateLimitBucket = 'runs' | 'predictions';
const RATE_LIMIT = 'rateLimit';

/** Marks a route as limited per client and minute by the named budget. */
export const RateLimited = (bucket: RateLimitBucket) => SetMetadata(RATE_LIMIT, bucket);

export class TooManyRequestsException extends HttpException {
  constructor(retryAfterSeconds: number) {
    super(`rate limit exceeded; retry in ${retryAfterSeconds} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Fixed one-minute windows per client address and budget, in memory: each API replica limits on
 * its own, which bounds abuse without shared state. Not @nestjs/throttler: its store is per replica
 * too, and it keeps one timestamp per request in the window and scans them on every request, so
 * its cost grows with the budget (API_PREDICTIONS_PER_MINUTE); a window here is two numbers.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const bucket = this.reflector.get<RateLimitBucket | undefined>(RATE_LIMIT, context.getHandler());
    if (!bucket) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const limit = bucket === 'runs' ? this.config.rateLimits.runsPerMinute : this.config.rateLimits.predictionsPerMinute;
    const now = Date.now();
    const key = `${bucket}:${req.ip ?? 'unknown'}`;
    let window = this.windows.get(key);
    if (!window || now - window.start >= 60_000) {
      if (this.windows.size > 10_000) this.windows.clear();
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count > limit) {
      const retryAfter = Math.ceil((window.start + 60_000 - now) / 1000);
      context.switchToHttp().getResponse<Response>().setHeader('retry-after', String(retryAfter));
      throw new TooManyRequestsException(retryAfter);
    }
    return true;
  }
}
