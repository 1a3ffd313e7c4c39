import { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

const CODEC_PATH = /^\/codec\/(encode|decode)\/?$/;

/**
 * CORS for the codec endpoint only, and only for the listed origins: the Temporal Web UI calls it
 * from the browser with `X-Namespace` (and, when set to pass it, `Authorization`). Every other
 * route stays closed to cross-origin calls.
 */
export function codecCors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.header('origin');
    if (!origin || !allowed.has(origin) || !CODEC_PATH.test(req.path)) {
      next();
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Vary', 'Origin');
    if (req.method !== 'OPTIONS') {
      next();
      return;
    }
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization, X-Api-Key');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}
