import { randomUUID } from 'node:crypto';
import { type NextFunction, type Request, type Response } from 'express';

const HEADER = 'x-request-id';
const VALID = /^[A-Za-z0-9._-]{1,128}$/;
const KEY = Symbol('requestId');

type WithId = Request & { [KEY]?: string };

/** Takes a caller's well-formed X-Request-Id or makes one, and echoes it on the response. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const given = req.header(HEADER);
  const id = given && VALID.test(given) ? given : randomUUID();
  (req as WithId)[KEY] = id;
  res.setHeader(HEADER, id);
  next();
}

export function requestIdOf(req: Request): string {
  return (req as WithId)[KEY] ?? 'unknown';
}
